"""Japanese wording of the page: the matches' structured evidence and the files' places as a planner
reads them. Presentation only: the pipeline's reasons come in Japanese from the catalogue
(pipeline/messages.py), since `plandraft serve` speaks Japanese."""
from __future__ import annotations

import re

from ..model import Evidence, Item

ROLE_LABELS = {"outline": "構成案", "plan": "当市の計画", "others": "他市の計画"}
ACTOR_LABELS = {"citizens": "★ 市民", "city": "● 市", "both": "◎ 市民と市"}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "txt": "テキスト", "md": "テキスト"}

# Where in the outline a term was found (Evidence.where of kind outline, before any ": detail").
_OUTLINE_PLACES = {"title": "柱の名前", "topic": "柱の内容", "description": "柱の説明", "example": "構成案の事例",
                   "detail": "構成案の説明", "heading": "柱の名前の見出し"}
_SIMILARITY_RE = re.compile(r"similarity ([\d.]+)")


def evidence(e: Evidence) -> tuple[str, str]:
    """(where, what) of one piece of evidence, from its kind: e.g. ('柱の内容', '職員研修 — 研修')."""
    if e.kind == "outline":
        place, _, detail = e.where.partition(":")
        return _OUTLINE_PLACES.get(place.strip(), "構成案"), f"{e.text}（{detail.strip()}）" if detail.strip() else e.text
    if e.kind == "rule":
        return "分類ルール", f"{e.text}（{e.where}）" if e.where else e.text
    if e.kind == "measure":  # the item's precedent (its only support) or the nearest measure of the vote
        place = "前例となる分類済みの施策" if e.where.startswith("precedent") else "よく似た分類済みの施策"
        return place, f"{e.text}（類似度 {e.weight:.2f}）"
    if e.kind == "model":
        return "学習した分類", f"{e.text}（確からしさ {e.weight:.2f}）" if e.text else f"確からしさ {e.weight:.2f}"
    if e.kind == "correction":
        m = _SIMILARITY_RE.search(e.where)
        if m:
            return "似た項目の修正から", f"{e.text}（類似度 {float(m.group(1)):.2f}）"
        return "担当者の修正", "この項目を担当者が修正"
    if e.kind == "none":
        return "根拠なし", "構成案にもルールにも当てはまる語がありません（学習した分類による仮置き）"
    return "", e.text


def pillar_label(number: int | None, titles: dict[int, str]) -> str:
    if number is None:
        return "—"
    return f"({number}) {titles.get(number, '')}".strip()


def provenance(item: Item) -> str:
    """Where the item is in its file, in Japanese: 'plan.pdf 4ページ 表1 2行目'."""
    s = item.source
    parts = [s.path.replace("\\", "/").rsplit("/", 1)[-1]]
    if s.page is not None:
        parts.append(f"{s.page}ページ")
    if s.table is not None:
        parts.append(f"表{s.table}")
    if s.row is not None:
        parts.append(f"{s.row}行目")
    elif s.line is not None:
        parts.append(f"{s.line}行目")
    return " ".join(parts)
