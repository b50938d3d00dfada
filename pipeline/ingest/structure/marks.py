"""Marks (★ ● ◎ ○ …) and what the document's own legend (凡例) says they mean."""
from __future__ import annotations

import re

from ...model import ACTOR_MARKS, Actor

MARK_CHARS = "★☆●◎○◯〇◆◇■□▲△"
_ENTRY = re.compile(rf"([{MARK_CHARS}])\s*[=＝:：]?\s*([^\s{MARK_CHARS}=＝:：]{{2,20}})")
# a legend's entry marked by a character of the 区分 word it stands for (新：新たに取り組む事業, 重：重点事業)
WORD_MARKS = "新重拡継充再"
_WORD_ENTRY = re.compile(rf"(?<![^\s】)）])([{WORD_MARKS}])\s*[=＝:：]\s*([^\s{MARK_CHARS}=＝:：]{{2,20}})")
_ACTOR_LEGEND = re.compile(rf"[{''.join(ACTOR_MARKS)}][^{''.join(ACTOR_MARKS)}]*主体")
# Words of a legend entry that make the mark a tag (★＝重点事業 → 重点).
LEGEND_TAGS = ("重点", "新規", "拡充", "継続", "充実", "再掲", "廃止", "完了", "先導", "モデル")


def is_actor_legend(text: str) -> bool:
    """The 対馬-style legend: ★市民が主体 ●市が主体 ◎市民と市が主体."""
    return len(_ACTOR_LEGEND.findall(text)) >= 2


def parse_legend(text: str) -> dict[str, str]:
    """{mark: meaning} of a legend line ('凡例 ★＝重点事業', '★市民が主体 ●市が主体'), or {}."""
    stripped = text.strip()
    is_legend = stripped.startswith(("凡例", "【凡例】", "(凡例)", "（凡例）", "※凡例")) or is_actor_legend(stripped)
    if not is_legend and not re.match(rf"^[{MARK_CHARS}]\s*[=＝]", stripped):
        return {}
    found = {m: meaning for m, meaning in _ENTRY.findall(stripped)}
    if is_legend:  # 新：新たに取り組む事業 — a word's first character as the mark, with its colon
        found.update((m, meaning) for m, meaning in _WORD_ENTRY.findall(stripped) if tag_of(meaning))
    return found


def actor_of(meaning: str) -> Actor | None:
    """The actor a legend entry names (市民が主体 → citizens, 市が主体 → city, 市民と市 / 協働 → both)."""
    if "主体" not in meaning and "協働" not in meaning:
        return None
    if any(w in meaning for w in ("市民と市", "市民・市", "協働", "双方", "市民と行政", "共に", "ともに")):
        return "both"
    if any(w in meaning for w in ("市民", "住民", "地域", "団体")):
        return "citizens"
    if any(w in meaning for w in ("市", "行政", "町", "村")):
        return "city"
    return None


def tag_of(meaning: str) -> str | None:
    found = next((t for t in LEGEND_TAGS if t in meaning), None)
    if found is None and meaning.startswith(("新た", "新しく")):
        return "新規"  # (新：新たに取り組む事業; 新たに重点的に取り組む事業 is 重点)
    return found
