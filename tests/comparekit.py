"""Test helpers for the library and comparison tests: a tiny keyword matcher (so the tests do not
depend on pipeline.match.matcher's weights), items made by hand and the sample plans' paths."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.model import Item, Match, Outline, Source

DATA = Path(__file__).resolve().parent / "data"
WAKABA = DATA / "sample_wakaba_r5_plan.txt"  # 若葉町 (fictional sample)
MINAMIKAWA = DATA / "sample_minamikawa_r5_plan.txt"  # 南川町 (fictional sample)

# Pillar by the first keyword found, pillars in this order; pillar 1 if none.
KEYWORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (2, ("職員", "研修")),
    (4, ("コーディネート", "コーディネーター", "中間支援")),
    (6, ("補助金", "ポイント", "ファンド", "里山")),
    (7, ("提案",)),
    (9, ("評価",)),
    (3, ("ホームページ", "SNS", "広報", "情報")),
    (1, ("出前", "啓発", "事例集", "ハンドブック")),
)


class KeywordMatcher:
    """Stands in for pipeline.match.matcher.Matcher: match_items by keywords in the item's name."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.calls = 0

    def pillar_of(self, text: str) -> int:
        for pillar, words in KEYWORDS:
            if any(w in text for w in words):
                return pillar
        return 1

    def match_items(self, items: Sequence[Item]) -> list[Match]:
        self.calls += 1
        out = []
        for i in items:
            p = self.pillar_of(i.name)
            out.append(Match(item_id=i.id, text=i.name, pillar=p, score=1.0, confidence=0.9, ranking=((p, 1.0),)))
        return out


def item(name: str, content: str = "", n: int = 1, path: str = "hand.txt", sha: str = "h" * 64) -> Item:
    return Item(id=f"{sha[:8]}-{n:03d}", policy="", measure="", name=name, content=content, departments=(),
                actor=None, tags=(), source=Source(path=path, sha256=sha, table=1, row=n + 1))
