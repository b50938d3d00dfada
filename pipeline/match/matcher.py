"""Match: each item → the outline pillar it belongs to, with a score, a confidence and evidence a
planner can read.

A pillar's profile is built only from the outline (title and topics weigh most, then description,
examples and details); terms are Sudachi content words and compound nouns, folded by the synonym
list, and weighted down by how many pillars share them (IDF over pillars). Coding rules add points
to the pillar their words describe; a planner's corrections win for their item and, as labelled
examples, pull similar items (nearest neighbour over term vectors). Words inside an item's parentheses
count less and its head noun more; generic words (spread over many pillars in the labelled measures)
count less.

A trained text model (model.py) gives every pillar a probability; the match ranks pillars by
(softmax share of the points + w × probability) / (1 + w), w tuned by `plandraft train`: smaller where
the rules are sure, smaller where the model is unsure of the text itself (model.certainty), smaller
still where a coding rule or a correction clearly leads (the model, trained mostly on other wording,
should not overturn evidence a planner wrote down), and 0 where a heading is a pillar's own title.
When nothing supports any pillar the match says so (evidence of kind none) and is flagged for review,
unless a labelled measure the model carries, of the chosen pillar, is nearly the same (a precedent:
its evidence instead)."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..ingest.structure import extract_tags
from ..ingest.structure.outline import numbering
from ..model import Evidence, Example, Item, Match, Outline, Pillar
from ..settings import MatchSettings
from ..text.normalize import clean
from ..text.tokenize import terms
from .knowledge import (
    Correction,
    Knowledge,
    Rule,
    item_key,
    load_knowledge,
    resolve_pillar,
    resolve_target,
)
from .model import (
    DEFAULT_MODEL,
    Prediction,
    TextModel,
    clear_rule,
    head_term,
    is_precedent,
    load_model,
    mix,
    needs_review,
    review_score,
    split_parentheses,
)
from .rules import fold, holds, needs

_Vector = dict[str, float]
_clean = lru_cache(maxsize=65_536)(clean)  # the same words come back in many items
NO_EVIDENCE = "根拠なし"
STRONG_EVIDENCE = frozenset({"rule", "correction"})  # kinds a planner wrote down (see model.clear_rule)
RULE_GENERIC_POWER = 1.0  # how much a rule's generic words weigh it down (0: not at all)


def _title_key(text: str) -> str:
    """A heading as compared with the pillars' titles: folded, without its numbering ((1), 1., ① …)."""
    found = numbering(text)
    return fold(found.text if found is not None else text)


# A department printed with the measure, labelled: …（担当課：市民協働課）, …【所管】市民協働課. It says
# who does the measure, not what it is (まちづくり推進課 is no evidence of the pillar 推進), and an item
# read from a plan has it among its departments already.
_DEPARTMENT_NOTE = re.compile(
    r"\s*[（(［\[〔【]\s*(?:主|関係)?(?:担当|所管)(?:課|部署|部局|課等|部課|所属)?\s*[:：][^（）()［］\[\]〔〕【】]*[）)］\]〕】]"
    r"|\s*[【〔［\[](?:主|関係)?(?:担当|所管)(?:課|部署|部局|課等|部課|所属)?[】〕］\]][^（）()【】]*$")


def measure_words(text: str) -> str:
    """What a measure given as text says it is: without a labelled department printed with it and
    without its bracketed 区分 (（新規）, 【再掲】), as an item read from a plan has them apart (the text as
    it is when nothing else is left)."""
    return extract_tags(_DEPARTMENT_NOTE.sub("", text))[0].strip() or text


# An amount of money or a budget heading: a line of a budget table, not a measure.
_BUDGET_RE = re.compile(r"^[\s\d,，.．]+(千円|万円|円)$|^(予算額?|決算額?|合計|小計)[\s\d,，.．千万円]*$")


@lru_cache(maxsize=4)
def _shipped_model(path: str) -> TextModel | None:
    return load_model(None if path == str(DEFAULT_MODEL) else path)


@dataclass(frozen=True)
class _Hit:
    weight: float
    side: str  # where in the outline
    term: str  # as written in the outline


@dataclass(frozen=True)
class _Example:
    pillar: int
    name: str
    vector: _Vector
    norm: float


def _forms(word: str) -> tuple[str, ...]:
    """A word as written and, when Sudachi reads it as one word, in its normalized form."""
    found = [t for t in terms(word) if not t.compound]
    return (word, found[0].text) if len(found) == 1 and found[0].text != word else (word,)


def _readable(reasons: list[Evidence]) -> list[Evidence]:
    """Evidence strongest first (weights rounded), without repeats or words inside a longer word found
    at the same place (出前講座 says what 出前 and 講座 would)."""
    kept: list[Evidence] = []
    for e in sorted(reasons, key=lambda e: -e.weight):
        same = [k.text for k in kept if (k.kind, k.where) == (e.kind, e.where)]
        if not any(e.text in t for t in same):
            kept = [k for k in kept if not ((k.kind, k.where) == (e.kind, e.where) and k.text in e.text)]
            kept.append(e)
    return [replace(e, weight=round(e.weight, 3)) for e in kept]


def _strong(why: dict[int, list[Evidence]]) -> frozenset[int]:
    """The pillars with evidence of a coding rule or a correction."""
    return frozenset(n for n, found in why.items() if any(e.kind in STRONG_EVIDENCE for e in found))


def _example_label(e: Example) -> str:
    return f"{e.text} ({e.city})" if e.city else e.text


class Matcher:
    """Assigns items to an outline's pillars (see the module docstring)."""

    def __init__(self, outline: Outline, knowledge: Knowledge | None = None, settings: MatchSettings | None = None,
                 model: TextModel | Path | str | None = DEFAULT_MODEL, generic: dict[str, float] | None = None):
        """model: a trained model, the file of one (default: the shipped one) or None (outline and
        rules alone; so does settings.model = false). generic: term → factor, instead of the model's."""
        self.outline = outline
        self._terms_cache: dict[str, list[tuple[str, str, bool, tuple[str, ...]]]] = {}
        self.knowledge = knowledge if knowledge is not None else load_knowledge()
        self.settings = settings or MatchSettings()
        s = self.settings
        if not s.model:
            model = None
        elif isinstance(model, (str, Path)):
            model = _shipped_model(str(model))
        self.model: TextModel | None = None
        self._classes: dict[int, int] = {}  # model class → outline pillar
        if model is not None:
            for cls in model.classes:
                number = resolve_pillar(outline, str(cls), model.titles.get(cls, ""), s.title_similarity) if cls else None
                if number is not None:
                    self._classes[cls] = number
            # A model trained for another outline says nothing about this one's pillars.
            if len(set(self._classes.values())) * 2 >= len(outline.pillars):
                self.model = model
            else:
                self._classes = {}
        self.generic = generic if generic is not None else (model.generic if model is not None and s.generic else {})
        tuned = self.model is not None and s.tuned
        self.model_weight = self.model.weight if tuned and self.model else s.model_weight
        self.review_below = self.model.review_below if tuned and self.model else s.review_below
        self.review_model = self.model.review_model if tuned and self.model else 0.0
        self.rule_gate = self.model.rule_gate if tuned and self.model else 1.0
        self.rule_margin = self.model.rule_margin if tuned and self.model else 1.0
        # Planners write words as they like (取組, 取り組み): both the written and Sudachi's normalized
        # form of each word in the synonym and stop word files are looked up.
        self._canon: dict[str, str] = {}
        for word, canon in self.knowledge.synonyms:
            for form in _forms(word):
                self._canon.setdefault(form, _forms(canon)[-1])
        self._stop = {f for w in self.knowledge.stopwords for f in _forms(w)}
        self._stop |= {self._canonical(w) for w in self._stop}
        self.rules: list[tuple[Rule, int]] = []
        self.unresolved_rules: list[Rule] = []
        for rule in self.knowledge.rules:
            target = resolve_target(outline, rule.target)
            if target is None:
                self.unresolved_rules.append(rule)
            else:
                self.rules.append((rule, target))
        self._needs = [needs(rule.tree) for rule, _ in self.rules]
        self._need_words = sorted(set().union(*(n for n in self._needs if n is not None)))
        self.corrections: dict[str, list[tuple[Correction, int]]] = {}
        self.unresolved_corrections: list[Correction] = []
        learned: list[tuple[Correction, int]] = []
        for c in self.knowledge.corrections:
            number = resolve_pillar(outline, c.pillar, c.title, self.settings.title_similarity)
            if number is None:
                self.unresolved_corrections.append(c)
                continue
            self.corrections.setdefault(item_key(c.item), []).append((c, number))
            learned.append((c, number))
        self.profiles = self._profiles(outline.pillars)
        self._titles = {_title_key(p.title): p.number for p in outline.pillars if _title_key(p.title)}
        self._cache: dict[tuple[str, bool], tuple[dict[int, float], dict[int, list[Evidence]]]] = {}
        self.examples: list[_Example] = []
        for c, number in learned:
            vector = self._vector(((c.item, self.settings.name), (c.text, self.settings.learned_context),
                                   (c.measure, self.settings.learned_measure)))
            norm = math.sqrt(sum(v * v for v in vector.values()))
            if norm:
                self.examples.append(_Example(number, c.item, vector, norm))

    # -- terms ------------------------------------------------------------------------------

    def _canonical(self, word: str) -> str:
        return self._canon.get(word, word)

    def _terms(self, text: str) -> list[tuple[str, str, bool]]:
        """(canonical term, as written, compound?) of text, stop words left out."""
        return [(canon, surface, compound) for canon, surface, compound, _ in self._terms_units(text)]

    def _terms_units(self, text: str) -> list[tuple[str, str, bool, tuple[str, ...]]]:
        """(canonical term, as written, compound?, units) of text, stop words left out (cached)."""
        cached = self._terms_cache.get(text)
        if cached is not None:
            return cached
        out = []
        for t in terms(text):
            if len(t.text) < 2 and len(t.surface) < 2:
                continue  # one character (会, 市, 的) says little on its own
            canon = self._canon.get(t.text) or self._canon.get(_clean(t.surface)) or t.text
            if canon in self._stop or t.text in self._stop:
                continue
            if t.compound and all(u in self._stop or len(u) < 2 for u in t.units):
                continue  # 市民協働, 協働事業: stop words together are no more telling
            out.append((canon, t.surface, t.compound, t.units))
        if len(self._terms_cache) > 50_000:
            self._terms_cache.clear()
        self._terms_cache[text] = out
        return out

    def _occurrences(self, p: Pillar) -> list[tuple[str, str, float, str]]:
        """(canonical term, as written, weight, where) for every term occurrence in a pillar."""
        s = self.settings
        parts: list[tuple[str, float, str]] = [(p.title, s.title, "title")]
        parts += [(t, s.title, f"title: {t}") for t in p.alt_titles]
        parts += [(t, s.topic, f"topic: {t}") for t in p.topics]
        if p.description:
            parts.append((p.description, s.description, "description"))
        parts += [(e.text, s.example, f"example: {_example_label(e)}") for e in p.examples]
        parts += [(d, s.detail, f"detail: {d}") for d in p.details if d != p.description]
        return [(canon, surface, weight * (s.compound if compound else 1.0), side)
                for text, weight, side in parts for canon, surface, compound in self._terms(text)]

    def _profiles(self, pillars: Sequence[Pillar]) -> dict[int, dict[str, _Hit]]:
        """Per pillar, each term's BM25 weight (field-weighted term frequency, saturated, normalized
        by the pillar's length, times IDF over pillars) and where it is found most."""
        s = self.settings
        tf: dict[int, dict[str, float]] = {}
        where: dict[int, dict[str, tuple[float, str, str]]] = {}
        length: dict[int, float] = {}
        for p in pillars:
            tf[p.number], where[p.number] = {}, {}
            for canon, surface, w, side in self._occurrences(p):
                tf[p.number][canon] = tf[p.number].get(canon, 0.0) + w
                if canon not in where[p.number] or where[p.number][canon][0] < w:
                    where[p.number][canon] = (w, side, surface)
            length[p.number] = sum(tf[p.number].values())
        n = len(pillars)
        df: dict[str, int] = {}
        for counts in tf.values():
            for t in counts:
                df[t] = df.get(t, 0) + 1
        self.idf = {t: math.log((n + 1) / d) for t, d in df.items()}
        self._idf_unseen = math.log(n + 1)
        avg = sum(length.values()) / n if n else 1.0
        profiles: dict[int, dict[str, _Hit]] = {}
        for number, counts in tf.items():
            norm = s.k1 * (1 - s.b + s.b * length[number] / avg) if avg else s.k1
            profiles[number] = {
                t: _Hit(self.idf[t] * f * (s.k1 + 1) / (f + norm), where[number][t][1], where[number][t][2])
                for t, f in counts.items()
            }
        return profiles

    def _fields(self, item: Item) -> list[tuple[str, float]]:
        s = self.settings
        return [(item.name, s.name), (item.content, s.content), (item.measure, s.measure), (item.policy, s.policy)]

    def _item_terms(self, fields: Iterable[tuple[str, float]], head: bool = False) -> dict[str, tuple[float, str]]:
        """Canonical term → (weight: best field weight, compounds weighted up, generic words down,
        words in parentheses down; as written). With head, the first field's head noun (and the
        compounds it ends) is weighted up."""
        s = self.settings
        out: dict[str, tuple[float, str]] = {}

        def add(text: str, weight: float, boost: str | None = None) -> None:
            for canon, surface, compound, units in self._terms_units(text):
                w = weight * (s.compound if compound else 1.0) * self.generic.get(canon, 1.0)
                if boost is not None and (canon == boost or (compound and units and units[-1] == boost)):
                    w *= s.head
                if canon not in out or out[canon][0] < w:
                    out[canon] = (w, surface)

        for k, (text, weight) in enumerate(fields):
            if not text or weight <= 0:
                continue
            main, inside = split_parentheses(text)
            boost = None
            if head and k == 0:
                found = head_term(terms(main))
                boost = found.text if found is not None else None
            add(main, weight, boost)
            if inside:
                add(inside, weight * s.parenthesis)
        return out

    def _vector(self, fields: Iterable[tuple[str, float]]) -> _Vector:
        return {t: w * self.idf.get(t, self._idf_unseen) for t, (w, _) in self._item_terms(fields).items()}

    # -- matching ---------------------------------------------------------------------------

    def match_item(self, item: Item) -> Match:
        """The Match of one item, using its name, content, measure heading and policy title."""
        return self.match_items([item])[0]

    def match_text(self, text: str, item_id: str = "") -> Match:
        """The Match of a measure given as text alone (treated as an item's name)."""
        return self.match_texts([text], [item_id])[0]

    def match_items(self, items: Sequence[Item]) -> list[Match]:
        """The Matches of items, in order (the model scores them all in one batch)."""
        predictions = self._predictions([i.name for i in items])
        return [self._match(i.id, i.name, self._fields(i), p, i.policy, i.measure) for i, p in zip(items, predictions)]

    def match_texts(self, texts: Sequence[str], item_ids: Sequence[str] | None = None) -> list[Match]:
        """The Matches of measures given as text alone, in order (ids default to '')."""
        ids = list(item_ids) if item_ids is not None else [""] * len(texts)
        said = [measure_words(t) for t in texts]
        predictions = self._predictions(said)
        return [self._match(i, t, [(w, self.settings.name)], p) for t, w, i, p in zip(texts, said, ids, predictions)]

    def touched_by_corrections(self, item: Item, vector: _Vector | None = None) -> bool:
        """Whether the planner's corrections this matcher holds can change item's match: one names it,
        or a corrected item is near enough to pull it (_learned). An item they do not touch is matched
        as with no corrections at all, so its match can be kept from a matcher without them. vector:
        learned_vector(item) when already known (it depends on the outline, not the corrections)."""
        if not self.corrections and not self.examples:
            return False
        if self._correction(item.name, item.policy, item.measure) is not None:
            return True
        return bool(self._learned(self._fields(item), vector if vector is not None else self.learned_vector(item)))

    def learned_vector(self, item: Item) -> _Vector:
        """The terms of item that corrected items are compared with (see _learned)."""
        return self._learned_vector(self._fields(item))

    def _learned_vector(self, fields: list[tuple[str, float]]) -> _Vector:
        s = self.settings
        return self._vector([fields[0], (fields[1][0], s.learned_context), (fields[2][0], s.learned_measure)]
                            if len(fields) > 2 else fields[:1])

    def _predictions(self, texts: Sequence[str]) -> list[Prediction | None]:
        if self.model is None:
            return [None] * len(texts)
        return list(self.model.predict_many(texts))

    def rule_scores(self, text: str) -> dict[int, float]:
        """The outline's and the rules' points per pillar for a measure given as text (no model, no
        corrections): what the trained model is mixed with."""
        scores, _ = self._points([(text, self.settings.name)])
        return scores

    def evidence_scores(self, text: str) -> tuple[dict[int, float], frozenset[int]]:
        """rule_scores(text) and the pillars a coding rule gave points to (what model.clear_rule
        reads)."""
        scores, why = self._points([(text, self.settings.name)])
        return scores, _strong(why)

    def _points(self, fields: list[tuple[str, float]]) -> tuple[dict[int, float], dict[int, list[Evidence]]]:
        """Per pillar, the points of the outline's terms and the coding rules an item's fields hold,
        and the evidence of each."""
        s = self.settings
        scores = {p.number: 0.0 for p in self.outline.pillars}
        why: dict[int, list[Evidence]] = {n: [] for n in scores}
        fired: set[int] = set()  # each rule counts once, in the most telling field it holds in
        for k_field, (text_, rule_text, weight) in enumerate(self._rule_fields(fields)):
            if not text_ or weight <= 0:
                continue
            raw, reasons = self._term_scores(text_, head=k_field == 0)
            raw = dict(raw)
            reasons = {n: list(r) for n, r in reasons.items()}
            folded = fold(rule_text)
            main_folded = fold(split_parentheses(rule_text)[0]) if k_field == 0 else folded
            present = {w for w in self._need_words if w in folded}  # once per field, not per rule
            for k, (rule, number) in enumerate(self.rules):
                need = self._needs[k]
                if k in fired or (need is not None and need.isdisjoint(present)):
                    continue
                ok, found = holds(rule.tree, folded)
                if ok:
                    fired.add(k)
                    # A rule that holds only with words of a parenthesis counts for less.
                    inside = main_folded != folded and not holds(rule.tree, main_folded)[0]
                    points = rule.weight * s.rules * (s.parenthesis if inside else 1.0) * self._rule_generic(found)
                    raw[number] = raw.get(number, 0.0) + points
                    label = "・".join(dict.fromkeys(found)) or text_
                    reasons.setdefault(number, []).append(Evidence("rule", label, points, rule.when))
            for number, x in raw.items():
                # Saturated per field, so many weak words in a heading cannot outvote the item's name.
                share = weight * (s.field_cap / (x + s.field_cap) if s.field_cap else 1.0)
                scores[number] += share * x
                why[number].extend(replace(e, weight=share * e.weight) for e in reasons.get(number, ()))
        return scores, why

    def _match(self, item_id: str, text: str, fields: list[tuple[str, float]], prediction: Prediction | None,
               policy: str = "", measure: str = "") -> Match:
        s = self.settings
        scores, why = self._points(fields)
        for number, points, ex, sim in self._learned(fields):
            scores[number] += points
            why[number].append(Evidence("correction", ex.name, points, f"similarity {sim:.2f}"))
        # A measure heading or policy title that is a pillar's own title: the item was placed under that
        # pillar (plandraft's own draft read back, a plan written on this outline). It gets points, and
        # the model, which reads the name alone, does not count against it (the rules still can).
        placed = False
        for heading, _ in fields[2:]:  # the measure heading, then the policy title
            titled = self._titles.get(_title_key(heading)) if heading else None
            if titled is not None and s.heading_title > 0:
                scores[titled] += s.heading_title
                why[titled].append(Evidence("outline", heading, s.heading_title, "heading"))
                placed = True
                break
        supported = any(v > 0 for v in scores.values())
        numbers = list(scores)
        rule_share = self._distribution([scores[n] for n in numbers])
        if prediction is not None:
            w = self.model_weight
            prob = {n: 0.0 for n in numbers}
            for c, p in prediction.probabilities.items():
                if c in self._classes:
                    prob[self._classes[c]] += p
            gate = 0.0 if placed else self.rule_gate if clear_rule(scores, _strong(why), self.rule_margin) else 1.0
            combined = mix(dict(zip(numbers, rule_share)), prob, w, gate)
        else:
            combined = dict(zip(numbers, rule_share))
        ranking = sorted(combined.items(), key=lambda kv: (-kv[1], -scores[kv[0]], kv[0]))
        corrected = self._correction(text, policy, measure)
        if corrected is not None:
            ranking = [(corrected, combined[corrected])] + [r for r in ranking if r[0] != corrected]
        best = ranking[0][0]
        confidence = 1.0 if corrected is not None else ranking[0][1]
        precedent = None if supported or corrected is not None else self._precedent(prediction, best)
        learned = None if supported or corrected is not None or precedent is not None \
            else self._learned_word(prediction, best)
        # (the model's probability counts in the review score unless the model had no say in the mix:
        # an item under a pillar's own title)
        review = confidence if prediction is None or placed \
            else review_score(confidence, prob[best], self.review_model)
        flagged = needs_review(review, self.review_below, supported or precedent is not None or learned is not None)
        front: list[Evidence] = []
        if corrected is not None:
            front.append(Evidence("correction", text, 0.0, "this item"))
        elif precedent is not None:
            front.append(precedent)
        elif learned is not None:
            front.append(learned)
        elif not supported:
            front.append(Evidence("none", NO_EVIDENCE, 0.0, "no word of the item is in the outline or a rule"))
        said = [] if prediction is None else [self._model_evidence(prediction, best),
                                              None if precedent else self._nearest_evidence(prediction, best)]
        extra = [e for e in said if e is not None]
        # settings.evidence lines in all (but never without the correction or 根拠なし first and the model's
        # say last), the strongest of the outline's and rules' words between
        room = max(0, s.evidence - len(front) - len(extra))
        evidence = [*front, *_readable(why[best])[:room], *extra]
        no_pillar = corrected is None and self.fits_no_pillar(text, prediction)
        return Match(
            item_id=item_id,
            text=text,
            pillar=best,
            score=round(combined[best], 3),
            confidence=round(confidence, 3),
            ranking=tuple((n, round(sc, 3)) for n, sc in ranking),
            evidence=tuple(evidence),
            corrected=corrected is not None,
            needs_review=corrected is None and (flagged or no_pillar),
            no_pillar=no_pillar,
        )

    def _rule_generic(self, found: Sequence[str]) -> float:
        """A rule that holds only by generic words (制度, づくり) says less: the largest generic factor
        of the words it found (1 when one of them is not generic)."""
        if not self.generic or not found:
            return 1.0
        return max(self.generic.get(self._canonical(w), 1.0) for w in found) ** RULE_GENERIC_POWER

    def _model_evidence(self, prediction: Prediction, best: int) -> Evidence | None:
        """The trained model's say for the chosen pillar: its probability and the features that pushed
        it most (longer n-grams hide the shorter ones inside them)."""
        classes = [c for c, n in self._classes.items() if n == best]
        p = sum(prediction.probabilities.get(c, 0.0) for c in classes)
        if not classes:
            return None
        words: list[str] = []
        for f, _ in sorted((t for c in classes for t in prediction.telling(c, 4)), key=lambda t: -t[1]):
            if f.strip() and not any(f in w for w in words):
                words = [w for w in words if w not in f] + [f]
        return Evidence("model", "・".join(words[:3]), round(p, 3), f"trained model, probability {p:.2f}")

    def _nearest_evidence(self, prediction: Prediction, best: int) -> Evidence | None:
        """The nearest labelled measure of the chosen pillar among those that voted (neighbours.py)."""
        for text, cls, sim in prediction.nearest:
            if self._classes.get(cls) == best:
                return Evidence("measure", text, sim, f"nearest labelled measure, similarity {sim:.2f}")
        return None

    def _precedent(self, prediction: Prediction | None, best: int) -> Evidence | None:
        """The labelled measure the model carries nearest the item among those of the chosen pillar,
        as evidence, where it is at least settings.precedent_min similar (neighbours.py)."""
        classes = [c for c, n in self._classes.items() if n == best]
        if prediction is None or self.model is None or not classes or self.settings.precedent_min >= 1:
            return None
        nearest = self.model.precedents([prediction])[0]
        found = max((nearest[c] for c in classes if c in nearest), key=lambda t: t[1], default=None)
        if found is None or not is_precedent(found[1], self.settings.precedent_min):
            return None
        text, sim = found
        return Evidence("measure", text, sim, f"precedent: labelled measure of this pillar, similarity {sim:.2f}")

    def _learned_word(self, prediction: Prediction | None, best: int) -> Evidence | None:
        """The item's most telling word of those the labelled measures use mostly under the chosen
        pillar (model.learned), as evidence, else None."""
        if prediction is None or self.model is None:
            return None
        for cls, words in self.model.learned_support(prediction).items():
            if self._classes.get(cls) == best and words:
                word, n, total = words[0]
                return Evidence("learned", word, round(n / total, 3),
                                f"learned word: {n} of {total} labelled measures with it are under this pillar")
        return None

    def fits_no_pillar(self, text: str, prediction: Prediction | None) -> bool:
        """A budget line (an amount, 予算 …) or an item the model puts under no pillar (its likeliest
        class, with at least settings.no_pillar_min), whatever words of the outline or the rules it
        holds: a works item's センター or 学校 is no evidence that it is a measure. Trained on real
        projects that are no measure (not_measures.tsv), five-fold cross-validation by city reported 0.87
        of those held out as fitting no pillar (0.54 where any outline or rule word kept an item from
        it) and 0.3 % of the real measures (0.05 %)."""
        if _BUDGET_RE.search(text):
            return True
        if prediction is None:
            return False
        p0 = prediction.probabilities.get(0, 0.0)
        return p0 >= self.settings.no_pillar_min and p0 >= max(prediction.probabilities.values())

    def _distribution(self, scores: list[float]) -> list[float]:
        """Softmax shares of the points at temperature base + scale × best points, so a lead counts
        relative to the points' size: near 1 for the best when it stands out, 1/N each when all tie."""
        if not scores:
            return []
        top = max(scores)
        t = self.settings.temperature + self.settings.temperature_scale * max(top, 0.0)
        z = [math.exp((sc - top) / t) for sc in scores]
        total = sum(z)
        return [v / total for v in z]

    def _learned(self, fields: list[tuple[str, float]],
                 vec: _Vector | None = None) -> list[tuple[int, float, _Example, float]]:
        """(pillar, points, example, similarity): the nearest corrected item of each pillar pulls with
        learned × similarity ** power (cosine over IDF-weighted terms of the name, content and
        measure heading; the heading tells apart items of the same name)."""
        s = self.settings
        if not self.examples:
            return []
        if vec is None:
            vec = self._learned_vector(fields)
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if not norm:
            return []
        nearest: dict[int, tuple[float, _Example]] = {}
        for ex in self.examples:
            sim = sum(v * ex.vector.get(t, 0.0) for t, v in vec.items()) / (norm * ex.norm)
            if sim >= s.learned_min and sim > nearest.get(ex.pillar, (0.0, ex))[0]:
                nearest[ex.pillar] = (sim, ex)
        return [(number, s.learned * sim**s.learned_power, ex, sim) for number, (sim, ex) in nearest.items()]

    def _rule_fields(self, fields: list[tuple[str, float]]) -> list[tuple[str, str, float]]:
        """(text, text rules are tried on, weight) per field: content's rules see the name too, so
        `職員 and 研修` may take its words from both."""
        out = [(t, t, w) for t, w in fields]
        if len(out) > 1:
            out[1] = (out[1][0], f"{out[0][0]}\n{out[1][0]}", out[1][2])
        return out

    def _term_scores(self, text: str, head: bool = False) -> tuple[dict[int, float], dict[int, list[Evidence]]]:
        """Per pillar, the points of the terms text shares with its profile, and why (cached: the
        same measure heading and policy title come with many items). With head, text is an item's
        name and its head noun counts more."""
        cached = self._cache.get((text, head))
        if cached is not None:
            return cached
        raw: dict[int, float] = {}
        reasons: dict[int, list[Evidence]] = {}
        for term, (w, surface) in self._item_terms([(text, 1.0)], head=head).items():
            for number, prof in self.profiles.items():
                hit = prof.get(term)
                if hit:
                    points = w * hit.weight
                    raw[number] = raw.get(number, 0.0) + points
                    label = surface if surface == hit.term else f"{surface} ≈ {hit.term}"
                    reasons.setdefault(number, []).append(Evidence("outline", label, points, hit.side))
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[(text, head)] = (raw, reasons)
        return raw, reasons

    def _correction(self, text: str, policy: str, measure: str) -> int | None:
        found = self.corrections.get(item_key(text)) if self.settings.overrides else None
        if not found:
            return None
        if len(found) > 1:
            for c, number in found:
                if c.policy and (policy.startswith(c.policy) or c.policy in measure):
                    return number
        return found[-1][1]


__all__ = ["Matcher", "MatchSettings", "load_knowledge"]
