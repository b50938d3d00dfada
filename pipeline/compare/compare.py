"""Compare our measures with other cities', pillar by pillar: a count matrix, each other-city measure's
nearest item of ours, and the gaps (their measures with no counterpart in ours), ranked.

Pure functions over records: the matcher puts every measure under a pillar; similarity between two
measures is the cosine of their content words (Sudachi normalized forms) weighted by how rare each word
is among all the measures compared."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..model import Document, Item, Match, Outline, Source
from ..settings import CompareSettings
from ..text import tokenize
from ..text.normalize import clean
from ..text.similarity import TfidfSpace

OUTLINE_EXAMPLES = "構成案の例"  # the column of the outline's examples that name no city
UNKNOWN_CITY = "市町村不明"
# Words too general to say two measures are alike (they are in nearly every 市民協働 measure).
_GENERAL = frozenset({"実施", "推進", "検討", "行う", "する", "図る", "努める", "等", "こと", "ため", "もの", "よう",
                      "事業", "取り組み", "取組", "活用", "充実", "強化", "促進", "向上", "開催", "設置", "作成"})


class PillarMatcher(Protocol):
    """What compare needs of pipeline.match.matcher.Matcher."""

    def match_items(self, items: Sequence[Item]) -> list[Match]: ...


@dataclass(frozen=True)
class OtherItem:
    """Another city's measure: the item, the city (a column label) and, for the outline's example
    projects, the pillar the outline puts it under (otherwise the matcher decides)."""

    item: Item
    city: str
    fiscal_year: int | None = None
    pillar: int | None = None
    column: str | None = None  # the matrix column when it is not the city (all 参考事例 in one column)


@dataclass(frozen=True)
class Word:
    normalized: str
    surface: str


@dataclass(frozen=True)
class Pair:
    """Another city's measure and our most similar item: ours is None when even the nearest
    (nearest, at nearest_score) is below the threshold."""

    other: OtherItem
    pillar: int
    ours: Item | None
    score: float
    shared: tuple[str, ...]  # the words both use, most telling first
    nearest: Item | None
    nearest_score: float


@dataclass(frozen=True)
class Gap:
    """A measure other cities have and we do not, under its pillar: the representative measure, the
    cities with it or one like it, and our nearest item (below the threshold)."""

    pillar: int
    rank: int  # 1 = the strongest candidate in its pillar
    other: OtherItem
    cities: tuple[str, ...]
    similar: tuple[OtherItem, ...]  # other cities' measures like it (not the representative)
    nearest: Item | None
    nearest_score: float

    @property
    def text(self) -> str:
        return self.other.item.name


@dataclass(frozen=True)
class Comparison:
    our_city: str
    pillars: tuple[tuple[int, str], ...]  # number, title
    cities: tuple[str, ...]  # matrix columns: ours first, then others by measure count
    counts: Mapping[int, Mapping[str, int]]  # pillar → city → measures
    our_pillars: Mapping[str, int]  # our item id → pillar
    pairs: tuple[Pair, ...]
    gaps: tuple[Gap, ...]
    threshold: float = CompareSettings().threshold
    skipped: tuple[str, ...] = field(default=())  # why some measures were left out (our own city's)

    def count(self, pillar: int, city: str) -> int:
        return self.counts.get(pillar, {}).get(city, 0)


# ---------------------------------------------------------------------------------------------
# Inputs


def unknown_city_label(path: str) -> str:
    """The column of a plan that names no city: its file, so plans are not lumped together."""
    return f"{Path(path).stem}（{UNKNOWN_CITY}）"


def others_from_document(doc: Document, city: str | None = None) -> list[OtherItem]:
    """A plan's items as other-city measures (city overrides the one read from it)."""
    label = city or doc.city or unknown_city_label(doc.path)
    year = doc.fiscal_year.year if doc.fiscal_year else None
    return [OtherItem(item=i, city=label, fiscal_year=year) for i in doc.items]


def others_from_outline(outline: Outline, sha256: str = "") -> list[OtherItem]:
    """The outline's example projects (under their pillars) and model projects (pillar left to the
    matcher) as other-city measures; examples naming no city go under OUTLINE_EXAMPLES."""
    out: list[OtherItem] = []
    key = (sha256 or "outline")[:8]

    def add(text: str, city: str | None, pillar: int | None, policy: str) -> None:
        n = len(out) + 1
        item = Item(id=f"{key}-ex{n:03d}", policy=policy, measure="", name=text, content="", departments=(),
                    actor=None, tags=(), source=Source(path=outline.path, sha256=sha256))
        out.append(OtherItem(item=item, city=city or OUTLINE_EXAMPLES, pillar=pillar))

    for p in outline.pillars:
        for e in p.examples:
            add(e.text, e.city, p.number, f"({p.number}) {p.title}")
    for e in outline.model_projects:
        add(e.text, e.city, None, "モデル事業")
    return out


# ---------------------------------------------------------------------------------------------
# Similarity


@dataclass(frozen=True)
class Vocabulary:
    """Words that never make two measures alike, and synonyms folded to one word (Sudachi normalized
    forms); by default the matcher's stop word and synonym lists."""

    stopwords: frozenset[str] = _GENERAL
    canonical: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, matcher: object) -> Vocabulary:
        """The vocabulary of matcher.knowledge (stop words and synonyms), plus the built-in general words."""
        knowledge = getattr(matcher, "knowledge", None)
        if knowledge is None:
            return cls()
        stop = set(_GENERAL)
        for w in getattr(knowledge, "stopwords", ()):
            stop.update(_forms(w))
        canonical: dict[str, str] = {}
        for word, canon in getattr(knowledge, "synonyms", ()):
            target = _forms(canon)[-1]
            for form in _forms(word):
                if form != target:
                    canonical.setdefault(form, target)
        return cls(frozenset(stop), canonical)


def _forms(word: str) -> tuple[str, ...]:
    """A word as written (lower-cased) and in Sudachi's normalized form."""
    norm = "".join(t.normalized for t in tokenize.tokenize(clean(word))).lower()
    return tuple(dict.fromkeys((clean(word).lower(), norm)))


def words(text: str, vocabulary: Vocabulary | None = None) -> list[Word]:
    """Content words of text (nouns but numerals, general verbs and adjectives; no stop words), in
    Sudachi's normalized form folded by the vocabulary's synonyms, with the surface first seen."""
    vocab = vocabulary or Vocabulary()
    seen: dict[str, Word] = {}
    for t in tokenize.tokenize(clean(text)):
        norm = t.normalized.lower()
        if not tokenize.content_word(t.pos) or norm in vocab.stopwords or (len(norm) == 1 and "\u3040" <= norm <= "\u309f"):
            continue
        norm = vocab.canonical.get(norm, norm)
        seen.setdefault(norm, Word(norm, t.surface))
    return list(seen.values())


def _text(item: Item) -> tuple[str, str]:
    return item.name, item.content


def _space(texts: Sequence[tuple[str, str]], vocabulary: Vocabulary, content_weight: float) -> TfidfSpace:
    """The measures as tf-idf vectors: a word counts once (a plan says a thing once or twice, no
    more), in full if it is in the 項目 (name) and content_weight if only in the 内容."""
    weighted: list[dict[str, float]] = []
    surface: dict[str, str] = {}
    for name, content in texts:
        in_name = words(name, vocabulary)
        ts: dict[str, float] = {t.normalized: 1.0 for t in in_name}
        for t in words(content, vocabulary):
            ts.setdefault(t.normalized, content_weight)
        for t in in_name + words(content, vocabulary):
            surface.setdefault(t.normalized, t.surface)
        weighted.append(ts)
    return TfidfSpace(weighted, surface)


# ---------------------------------------------------------------------------------------------
# The comparison


def _pillars_of(items: Sequence[Item], matcher: PillarMatcher | None, known: Mapping[str, int]) -> dict[str, int]:
    """Item id → pillar: known ones kept, the rest from one matcher call."""
    out = {i.id: known[i.id] for i in items if i.id in known}
    rest = [i for i in items if i.id not in out]
    if rest:
        if matcher is None:
            raise ValueError(f"{len(rest)} measures have no pillar and no matcher was given")
        for m in matcher.match_items(rest):
            out[m.item_id] = m.pillar
    return out


def compare(
    outline: Outline,
    ours: Sequence[Item],
    others: Iterable[OtherItem | tuple[str, Item]],
    matcher: PillarMatcher | None,
    *,
    our_city: str = "当市",
    our_matches: Iterable[Match] = (),
    settings: CompareSettings | None = None,
    vocabulary: Vocabulary | None = None,
) -> Comparison:
    """The comparison of our items with other cities' measures (pure: no I/O). Pillars come from
    our_matches and the outline's examples where given, else from matcher.match_items. Other-city
    measures of our_city itself are left out (an older plan of ours is no other city)."""
    settings = settings or CompareSettings()
    other_list = [o if isinstance(o, OtherItem) else OtherItem(item=o[1], city=o[0]) for o in others]
    dropped = [o for o in other_list if o.city == our_city]
    other_list = [o for o in other_list if o.city != our_city]
    # Item ids are unique per document, but one document may come twice (a file and its library copy).
    unique: dict[tuple[str, str], OtherItem] = {}
    for o in other_list:
        unique.setdefault((o.item.source.sha256 or o.city, o.item.id), o)
    other_list = list(unique.values())

    ours = list(ours)
    known = {m.item_id: m.pillar for m in our_matches}
    our_pillar = _pillars_of(ours, matcher, known)
    # Other items' ids may repeat across documents: match them under positional ids.
    keyed = [
        Item(id=f"o{k}", policy=o.item.policy, measure=o.item.measure, name=o.item.name, content=o.item.content,
             departments=o.item.departments, actor=o.item.actor, tags=o.item.tags, source=o.item.source)
        for k, o in enumerate(other_list)
    ]
    other_known = {f"o{k}": o.pillar for k, o in enumerate(other_list) if o.pillar is not None}
    by_key = _pillars_of(keyed, matcher, other_known)
    other_pillar = [by_key[f"o{k}"] for k in range(len(other_list))]

    vocab = vocabulary or Vocabulary.of(matcher)
    space = _space([_text(i) for i in ours] + [_text(o.item) for o in other_list], vocab, settings.content_weight)
    n_ours = len(ours)
    pairs: list[Pair] = []
    for k, o in enumerate(other_list):
        j = n_ours + k
        best, best_score = None, 0.0
        for i in range(n_ours):
            s = space.similarity(j, i)
            if s > best_score:
                best, best_score = i, s
        nearest = ours[best] if best is not None else None
        matched = best_score >= settings.threshold
        pairs.append(Pair(other=o, pillar=other_pillar[k], ours=nearest if matched else None, score=round(best_score, 4),
                          shared=space.shared(j, best) if best is not None else (), nearest=nearest,
                          nearest_score=round(best_score, 4)))

    gaps = _gaps(pairs, space, n_ours, settings)

    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for item in ours:
        p = our_pillar[item.id]
        counts[p][our_city] = counts[p].get(our_city, 0) + 1
    for o, p in zip(other_list, other_pillar):
        counts[p][o.column or o.city] = counts[p].get(o.column or o.city, 0) + 1
    totals: Counter[str] = Counter()
    for row in counts.values():
        totals.update(row)
    cities = [our_city] + sorted((c for c in totals if c != our_city),
                                 key=lambda c: (c == OUTLINE_EXAMPLES or c.endswith(f"（{UNKNOWN_CITY}）"),
                                                -totals[c], c))
    skipped = (f"{len(dropped)} measures of {our_city} itself (an earlier plan) left out",) if dropped else ()
    return Comparison(our_city=our_city, pillars=tuple((p.number, p.title) for p in outline.pillars),
                      cities=tuple(cities), counts={p: dict(r) for p, r in counts.items()},
                      our_pillars=our_pillar, pairs=tuple(pairs), gaps=tuple(gaps), threshold=settings.threshold,
                      skipped=skipped)


def _named(city: str) -> bool:
    return city != OUTLINE_EXAMPLES and city != UNKNOWN_CITY and not city.endswith(f"（{UNKNOWN_CITY}）")


def _gaps(pairs: Sequence[Pair], space: TfidfSpace, n_ours: int, settings: CompareSettings) -> list[Gap]:
    """Unmatched other-city measures grouped (within a pillar) with those like them; ranked by how
    many cities have one, then how many measures, then how far the nearest of ours is (gaps alike
    from settings.threshold × settings.group are one candidate: several cities doing much the same)."""
    by_pillar: dict[int, list[int]] = defaultdict(list)
    for k, p in enumerate(pairs):
        if p.ours is None:
            by_pillar[p.pillar].append(k)
    out: list[Gap] = []
    for pillar in sorted(by_pillar):
        groups: list[list[int]] = []
        for k in by_pillar[pillar]:
            for g in groups:
                if space.similarity(n_ours + k, n_ours + g[0]) >= settings.threshold * settings.group:
                    g.append(k)
                    break
            else:
                groups.append([k])
        ranked = []
        for g in groups:
            cities = tuple(dict.fromkeys(pairs[k].other.city for k in g))
            named = sum(1 for c in cities if _named(c))
            # The representative: a measure from a named city, the most like its group.
            rep = max(g, key=lambda k: (_named(pairs[k].other.city),
                                        sum(space.similarity(n_ours + k, n_ours + x) for x in g), -k))
            ranked.append(((-named, -len(cities), -len(g), pairs[rep].nearest_score, rep), rep, g, cities))
        ranked.sort(key=lambda r: r[0])
        for rank, (_, rep, g, cities) in enumerate(ranked, start=1):
            p = pairs[rep]
            out.append(Gap(pillar=pillar, rank=rank, other=p.other, cities=cities,
                           similar=tuple(pairs[k].other for k in g if k != rep), nearest=p.nearest,
                           nearest_score=p.nearest_score))
    return out


def find_gaps(
    our_items: Sequence[Item],
    other_items_with_city: Iterable[OtherItem | tuple[str, Item]],
    matcher: PillarMatcher,
    *,
    outline: Outline | None = None,
    our_matches: Iterable[Match] = (),
    settings: CompareSettings | None = None,
) -> list[Gap]:
    """Other cities' measures with no counterpart among our items, per pillar, ranked (the 新規候補);
    pure. other_items_with_city: OtherItem records or (city, Item) pairs; outline defaults to the
    matcher's (matcher.outline)."""
    outline = outline or getattr(matcher, "outline", None)
    if outline is None:
        raise ValueError("find_gaps needs the outline (pass outline=… or a matcher with .outline)")
    result = compare(outline, our_items, other_items_with_city, matcher, our_matches=our_matches, settings=settings)
    return list(result.gaps)
