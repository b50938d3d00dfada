"""Evaluate matching against a gold TSV (item → pillar, acceptable alternatives): accuracy, the
confusion between pillars, every miss with its evidence, and leave-one-out with corrections."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..messages import input_error
from ..model import Document, Item, Match, Outline
from ..settings import MatchSettings
from .knowledge import Correction, Knowledge, item_key, read_table
from .matcher import Matcher
from .model import DEFAULT_MODEL, TextModel


@dataclass(frozen=True)
class Gold:
    item: str
    pillar: int
    alt: tuple[int, ...] = ()
    policy: str = ""  # e.g. 施策2: which of several items of the same name
    id: str = ""


@dataclass(frozen=True)
class Result:
    gold: Gold
    match: Match
    item: Item | None = None

    @property
    def top1(self) -> bool:
        return self.match.pillar == self.gold.pillar

    @property
    def acceptable(self) -> bool:
        return self.match.pillar == self.gold.pillar or self.match.pillar in self.gold.alt

    @property
    def top2(self) -> bool:
        return self.gold.pillar in [n for n, _ in self.match.ranking[:2]]


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    leave_one_out: tuple[Result, ...] = field(default=())

    @staticmethod
    def _rate(results: Sequence[Result], what: str) -> float:
        return round(sum(getattr(r, what) for r in results) / len(results), 3) if results else 0.0

    def figures(self, results: Sequence[Result] | None = None) -> dict[str, Any]:
        rs = self.results if results is None else results
        return {"n": len(rs), "top1": self._rate(rs, "top1"), "acceptable": self._rate(rs, "acceptable"),
                "top2": self._rate(rs, "top2")}

    def confusion(self) -> dict[int, dict[int, int]]:
        """gold pillar → assigned pillar → count."""
        out: dict[int, Counter[int]] = {}
        for r in self.results:
            out.setdefault(r.gold.pillar, Counter())[r.match.pillar] += 1
        return {g: dict(sorted(c.items())) for g, c in sorted(out.items())}

    def misses(self) -> list[Result]:
        return [r for r in self.results if not r.top1]

    def to_json(self) -> dict[str, Any]:
        data = self.figures()
        data["confusion"] = {str(g): {str(p): n for p, n in row.items()} for g, row in self.confusion().items()}
        data["misses"] = [_miss(r) for r in self.misses()]
        if self.leave_one_out:
            data["leave_one_out"] = {"without_corrections": self.figures(),
                                     "with_other_corrections": self.figures(self.leave_one_out)}
        return data


def _miss(r: Result) -> dict[str, Any]:
    return {
        "id": r.gold.id,
        "item": r.gold.item,
        "gold": r.gold.pillar,
        "alt": list(r.gold.alt),
        "pillar": r.match.pillar,
        "acceptable": r.acceptable,
        "runner_up": r.match.runner_up,
        "score": r.match.score,
        "confidence": r.match.confidence,
        "no_evidence": r.match.no_evidence,
        "evidence": [{"kind": e.kind, "text": e.text, "weight": e.weight, "where": e.where} for e in r.match.evidence],
    }


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text))


def read_gold(path: Path | str) -> list[Gold]:
    """Gold rows of a TSV with columns item, pillar and alt (comma-separated), optional policy and id;
    other columns are ignored. InputError names a bad line."""
    rows = read_table(Path(path), ("item", "pillar"))
    gold = []
    for n, row in rows:
        numbers = _numbers(row["pillar"])
        if not row["item"] or not numbers:
            raise input_error("gold.bad_row", number=n)
        gold.append(Gold(row["item"], numbers[0], _numbers(row.get("alt", "")), row.get("policy", ""),
                         row.get("id", "")))
    if not gold:
        raise input_error("gold.empty")
    return gold


def find_items(doc: Document, gold: Sequence[Gold]) -> list[Item | None]:
    """The plan's item for each gold row, by name (normalized, so （） and () agree). Items of the same
    name are taken in document order; a gold policy (施策2) picks among them first."""
    by_name: dict[str, list[Item]] = {}
    for item in doc.items:
        by_name.setdefault(item_key(item.name), []).append(item)
    used: set[str] = set()
    out: list[Item | None] = []
    for g in gold:
        candidates = [i for i in by_name.get(item_key(g.item), []) if i.id not in used]
        if g.policy:
            key = item_key(g.policy)
            candidates.sort(key=lambda i: not item_key(i.policy).startswith(key))
        chosen = candidates[0] if candidates else None
        if chosen:
            used.add(chosen.id)
        out.append(chosen)
    return out


def _match(matcher: Matcher, g: Gold, item: Item | None) -> Match:
    return matcher.match_item(item) if item else matcher.match_text(g.item)


def evaluate(
    outline: Outline,
    gold: Sequence[Gold],
    knowledge: Knowledge,
    items: Sequence[Item | None] | None = None,
    loo: bool = False,
    settings: MatchSettings | None = None,
    model: TextModel | Path | str | None = DEFAULT_MODEL,
) -> Report:
    """Match every gold row (its plan item when items are given, else its text alone). With loo, each
    row is matched again with the others' gold pillars given as corrections, used only as learned
    examples (no exact-name override for the held-out row)."""
    items = list(items) if items is not None else [None] * len(gold)
    matcher = Matcher(outline, knowledge, settings, model=model)
    results = tuple(Result(g, _match(matcher, g, i), i) for g, i in zip(gold, items))
    held: list[Result] = []
    if loo:
        title = {p.number: p.title for p in outline.pillars}
        corrections = [
            Correction(g.item, str(g.pillar), title.get(g.pillar, ""),
                       i.content if i else "", i.measure if i else "", i.policy if i else g.policy)
            for g, i in zip(gold, items)
        ]
        no_override = replace(settings or MatchSettings(), overrides=False)
        for k, (g, i) in enumerate(zip(gold, items)):
            others = knowledge.with_corrections(corrections[:k] + corrections[k + 1:])
            held.append(Result(g, _match(Matcher(outline, others, no_override, model=model), g, i), i))
    return Report(results, tuple(held))


def render_text(report: Report, outline: Outline) -> str:
    """The figures, the confusion table and every miss with its evidence, for a planner."""
    f = report.figures()
    lines = [f"n {f['n']}  top-1 {f['top1']:.3f}  acceptable {f['acceptable']:.3f}  top-2 {f['top2']:.3f}"]
    if report.leave_one_out:
        lo = report.figures(report.leave_one_out)
        lines.append(f"leave-one-out with the other items as corrections: top-1 {lo['top1']:.3f}  "
                     f"acceptable {lo['acceptable']:.3f}  top-2 {lo['top2']:.3f}")
    numbers = [p.number for p in outline.pillars]
    lines += ["", "confusion (rows: gold pillar, columns: assigned)",
              "      " + "".join(f"{n:>4}" for n in numbers)]
    for g, row in report.confusion().items():
        lines.append(f"  {g:>3} " + "".join(f"{row.get(n, 0) or '.':>4}" for n in numbers))
    misses = report.misses()
    lines += ["", f"misses ({len(misses)})"]
    for r in misses:
        ok = "acceptable" if r.acceptable else "wrong"
        alt = f" (alt {','.join(map(str, r.gold.alt))})" if r.gold.alt else ""
        lines.append(f"  {r.gold.id + ' ' if r.gold.id else ''}{r.gold.item}: gold {r.gold.pillar}{alt}, "
                     f"assigned {r.match.pillar} ({ok}, score {r.match.score}, confidence {r.match.confidence}, "
                     f"runner-up {r.match.runner_up})")
        for e in r.match.evidence:
            lines.append(f"      {e.text} — {e.kind}{' ' + e.where if e.where else ''}")
    return "\n".join(lines)
