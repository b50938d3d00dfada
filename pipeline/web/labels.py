"""Japanese wording of the page: the matches' structured evidence and the files' places as a planner
reads them. Presentation only: the pipeline's reasons come in Japanese from the catalogue
(pipeline/messages.py), since `plandraft serve` speaks Japanese."""
from __future__ import annotations

from ..match.wording import evidence
from ..model import Item

__all__ = ["ACTOR_LABELS", "FORMAT_LABELS", "ROLE_LABELS", "evidence", "pillar_label", "provenance"]

ROLE_LABELS = {"outline": "構成案", "plan": "当市の計画", "others": "他市の計画", "progress": "前年度の進行管理シート"}
ACTOR_LABELS = {"citizens": "★ 市民", "city": "● 市", "both": "◎ 市民と市"}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "txt": "テキスト", "md": "テキスト"}


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
