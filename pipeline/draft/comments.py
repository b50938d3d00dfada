"""Review comments: every line of the review sheet as a Word comment (校閲) anchored on the text of the
draft it is about, so a planner works through them in Word's review pane and deletes them all at once."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from docxtpl import RichText

from ..ooxml import qn
from .records import ReviewItem

AUTHOR = "plandraft"
INITIALS = "PD"


@dataclass(frozen=True)
class Comment:
    id: int
    anchor: str  # ReviewItem.anchor
    text: str


def comments_of(review: Sequence[ReviewItem]) -> list[Comment]:
    """One comment per review line that names its place: what it is and what to decide."""
    return [Comment(r.number, r.anchor, f"【{r.kind}】{r.note}（確認事項一覧 No.{r.number}）")
            for r in review if r.anchor]


def start(comment_id: int) -> str:
    return f'<w:commentRangeStart w:id="{comment_id}"/>'


def end(comment_id: int) -> str:
    """The end of a comment's range and its reference mark (where Word shows the comment)."""
    return (f'<w:commentRangeEnd w:id="{comment_id}"/>'
            f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{comment_id}"/></w:r>')


def anchored(runs: Iterable[RichText | str], comment_id: int | None, *, opens: bool = True,
             closes: bool = True) -> RichText:
    """The runs as one RichText, the comment's range opened before the first (opens) and closed
    after the last (closes); a range may open in one paragraph and close in a later one."""
    out = RichText()
    if comment_id is not None and opens:
        out.xml += start(comment_id)
    for r in runs:
        out.xml += r.xml if isinstance(r, RichText) else str(r)
    if comment_id is not None and closes:
        out.xml += end(comment_id)
    return out


def referenced(document: Any) -> set[int]:
    """The comment ids whose reference mark is in the body of a python-docx Document."""
    return {int(el.get(qn("w:id"))) for el in document.element.body.iter(qn("w:commentReference"))}


def add_comments(document: Any, comments: Sequence[Comment]) -> int:
    """The comments whose anchor the template rendered, added to the document's comments part under
    their own ids (the ids of the marks in the body); returns how many."""
    present = referenced(document)
    added = 0
    for c in comments:
        if c.id not in present:
            continue  # a template without the place: the review sheet still lists it
        comment = document.comments.add_comment(text=c.text, author=AUTHOR, initials=INITIALS)
        comment._comment_elm.set(qn("w:id"), str(c.id))
        added += 1
    return added
