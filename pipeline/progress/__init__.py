"""The yearly cycle: the 進行管理シート out with the new plan, last year's results in for the next."""
from __future__ import annotations

from collections.abc import Mapping

from ..draft.records import Draft
from ..model import Document, Match, Outline
from .report import REPORT_NAME, counts, report_bytes
from .results import Progress, Result, read_progress, stable_id
from .sheet import sheet_name, workbook_bytes

__all__ = ["REPORT_NAME", "Progress", "Result", "payloads", "read_progress", "sheet_name", "stable_id"]


def payloads(draft: Draft, outline: Outline, plan: Document | None, matches: Mapping[str, Match],
             progress: Progress | None, provenance: str = "") -> dict[str, bytes]:
    """File name → bytes of the progress outputs: the new plan's 進行管理シート, and with last year's
    results the 進捗状況の概要 report on them."""
    out = {sheet_name(draft): workbook_bytes(draft, provenance)}
    if progress is not None and plan is not None:
        rows = counts(progress, plan, matches, outline)
        out[REPORT_NAME] = report_bytes(rows, progress, draft.from_label, draft.city, provenance)
    return out
