"""Match: each item → the outline pillar it belongs to, with a score, a confidence and evidence a
planner can read.

A pillar's profile is built only from the outline (title and topics weigh most, then description,
examples and details); terms are Sudachi content words and compound nouns, folded by the synonym
list, and weighted down by how many pillars share them (IDF over pillars). Coding rules add points
to the pillar their words describe; a planner's corrections win for their item and, as labelled
examples, pull similar items (nearest neighbour over term vectors)."""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Evidence, Example, Item, Match, Outline, Pillar
from ..settings import MatchSettings
from ..text.normalize import clean
from ..text.tokenize import terms
from .knowledge import (
    Correction,
    Knowledge,
    Rule,
    evaluate,
    fold,
    item_key,
    load_knowledge,
    resolve_pillar,
    resolve_target,
)

_Vector = dict[str, float]


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


def _readable(reasons: list[tuple[float, Evidence]]) -> list[Evidence]:
    """Evidence strongest first, without repeats or words inside a longer word found at the same place
    (出前講座 says what 出前 and 講座 would)."""
    kept: list[Evidence] = []
    for _, e in sorted(reasons, key=lambda pe: -pe[0]):
        same_side = [k.term for k in kept if k.pillar_side == e.pillar_side]
        if not any(e.term in t for t in same_side):
            kept = [k for k in kept if not (k.pillar_side == e.pillar_side and k.term in e.term)]
            kept.append(e)
    return kept


def _example_label(e: Example) -> str:
    return f"{e.text} ({e.city})" if e.city else e.text


class Matcher:
    """Assigns items to an outline's pillars (see the module docstring)."""

    def __init__(self, outline: Outline, knowledge: Knowledge | None = None, settings: MatchSettings | None = None):
        self.outline = outline
        self.knowledge = knowledge if knowledge is not None else load_knowledge()
        self.settings = settings or MatchSettings()
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
        self._cache: dict[str, tuple[dict[int, float], dict[int, list[tuple[float, Evidence]]]]] = {}
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
        out = []
        for t in terms(text):
            if len(t.text) < 2 and len(t.surface) < 2:
                continue  # one character (会, 市, 的) says little on its own
            canon = self._canon.get(t.text) or self._canon.get(clean(t.surface)) or t.text
            if canon in self._stop or t.text in self._stop:
                continue
            if t.compound and all(u in self._stop or len(u) < 2 for u in t.units):
                continue  # 市民協働, 協働事業: stop words together are no more telling
            out.append((canon, t.surface, t.compound))
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

    def _item_terms(self, fields: Iterable[tuple[str, float]]) -> dict[str, tuple[float, str]]:
        """Canonical term → (weight: best field weight, compounds weighted up; as written)."""
        out: dict[str, tuple[float, str]] = {}
        for text, weight in fields:
            if not text or weight <= 0:
                continue
            for canon, surface, compound in self._terms(text):
                w = weight * (self.settings.compound if compound else 1.0)
                if canon not in out or out[canon][0] < w:
                    out[canon] = (w, surface)
        return out

    def _vector(self, fields: Iterable[tuple[str, float]]) -> _Vector:
        return {t: w * self.idf.get(t, self._idf_unseen) for t, (w, _) in self._item_terms(fields).items()}

    # -- matching ---------------------------------------------------------------------------

    def match_item(self, item: Item) -> Match:
        """The Match of one item, using its name, content, measure heading and policy title."""
        return self._match(item.id, item.name, self._fields(item), item.policy, item.measure)

    def match_text(self, text: str, item_id: str = "") -> Match:
        """The Match of a measure given as text alone (treated as an item's name)."""
        return self._match(item_id, text, [(text, self.settings.name)])

    def match_items(self, items: Sequence[Item]) -> list[Match]:
        return [self.match_item(i) for i in items]

    def _match(self, item_id: str, text: str, fields: list[tuple[str, float]], policy: str = "",
               measure: str = "") -> Match:
        s = self.settings
        scores = {p.number: 0.0 for p in self.outline.pillars}
        why: dict[int, list[tuple[float, Evidence]]] = {n: [] for n in scores}
        fired: set[int] = set()  # each rule counts once, in the most telling field it holds in
        for text_, rule_text, weight in self._rule_fields(fields):
            if not text_ or weight <= 0:
                continue
            raw, reasons = self._term_scores(text_)
            raw = dict(raw)
            reasons = {n: list(r) for n, r in reasons.items()}
            folded = fold(rule_text)
            for k, (rule, number) in enumerate(self.rules):
                if k in fired:
                    continue
                ok, found = evaluate(rule.tree, folded)
                if ok:
                    fired.add(k)
                    points = rule.weight * s.rules
                    raw[number] = raw.get(number, 0.0) + points
                    label = "・".join(dict.fromkeys(found)) or text_
                    reasons.setdefault(number, []).append((points, Evidence(label, f"rule: {rule.when}")))
            for number, x in raw.items():
                # Saturated per field, so many weak words in a heading cannot outvote the item's name.
                share = weight * (s.field_cap / (x + s.field_cap) if s.field_cap else 1.0)
                scores[number] += share * x
                why[number].extend((share * pts, e) for pts, e in reasons.get(number, ()))

        for number, points, ex, sim in self._learned(fields):
            scores[number] += points
            why[number].append((points, Evidence(ex.name, f"correction: {ex.name} (similarity {sim:.2f})")))

        ranking = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        corrected = self._correction(text, policy, measure)
        if corrected is not None:
            ranking = [(corrected, scores[corrected])] + [r for r in ranking if r[0] != corrected]
        best_number, best_score = ranking[0]
        confidence = 1.0 if corrected is not None else self._confidence([sc for _, sc in ranking])
        evidence = _readable(why[best_number])[: s.evidence]
        if corrected is not None:
            evidence.insert(0, Evidence(text, f"correction: {text}"))
        return Match(
            item_id=item_id,
            text=text,
            pillar=best_number,
            score=round(best_score, 3),
            confidence=round(confidence, 3),
            ranking=tuple((n, round(sc, 3)) for n, sc in ranking),
            evidence=tuple(evidence),
            corrected=corrected is not None,
            needs_review=corrected is None and confidence < s.review_below,
        )

    def _learned(self, fields: list[tuple[str, float]]) -> list[tuple[int, float, _Example, float]]:
        """(pillar, points, example, similarity): the nearest corrected item of each pillar pulls with
        learned × similarity ** power (cosine over IDF-weighted terms of the name, content and
        measure heading; the heading tells apart items of the same name)."""
        s = self.settings
        if not self.examples:
            return []
        vec = self._vector([fields[0], (fields[1][0], s.learned_context), (fields[2][0], s.learned_measure)]
                           if len(fields) > 2 else fields[:1])
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

    def _term_scores(self, text: str) -> tuple[dict[int, float], dict[int, list[tuple[float, Evidence]]]]:
        """Per pillar, the points of the terms text shares with its profile, and why (cached: the
        same measure heading and policy title come with many items)."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        raw: dict[int, float] = {}
        reasons: dict[int, list[tuple[float, Evidence]]] = {}
        for term, (w, surface) in self._item_terms([(text, 1.0)]).items():
            for number, prof in self.profiles.items():
                hit = prof.get(term)
                if hit:
                    points = w * hit.weight
                    raw[number] = raw.get(number, 0.0) + points
                    label = surface if surface == hit.term else f"{surface} ≈ {hit.term}"
                    reasons.setdefault(number, []).append((points, Evidence(label, hit.side)))
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[text] = (raw, reasons)
        return raw, reasons

    def _confidence(self, scores: list[float]) -> float:
        """Softmax share of the best score: near 1 when it stands out, 1/N when all tie."""
        top = scores[0]
        t = self.settings.temperature + self.settings.temperature_scale * max(top, 0.0)
        z = sum(math.exp((sc - top) / t) for sc in scores)
        return 1.0 / z if z else 0.0

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
