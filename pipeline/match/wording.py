"""The matches' structured evidence as a planner reads it in Japanese (the web page's review table,
`plandraft classify` and `match` on a Japanese console): where it was found and what it says."""
from __future__ import annotations

import re

from ..model import Evidence

# Where in the outline a term was found (Evidence.where of kind outline, before any ": detail").
_OUTLINE_PLACES = {"title": "柱の名前", "topic": "柱の内容", "description": "柱の説明", "example": "構成案の事例",
                   "detail": "構成案の説明", "heading": "柱の名前の見出し"}
_SIMILARITY_RE = re.compile(r"similarity ([\d.]+)")
_LEARNED_RE = re.compile(r"(\d+) of (\d+) labelled measures")


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
    if e.kind == "learned":  # its only support: a word the labelled measures use mostly under this pillar
        m = _LEARNED_RE.search(e.where)
        counted = f"分類済みの施策 {m.group(2)}件中{m.group(1)}件がこの柱" if m else f"{e.weight:.0%}がこの柱"
        return "分類済みの施策に多い語", f"{e.text}（{counted}）"
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
