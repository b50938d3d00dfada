"""進捗状況の概要.docx: what planners show their 推進会議 — per pillar, how many measures were 実施,
一部実施, 未実施 and 完了 last year, as a table and a bar chart (in a real Japanese font)."""
from __future__ import annotations

import contextlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..draft.records import CANDIDATE
from ..model import Document, Match, Outline
from ..resources import TEMPLATE_DIR
from .results import COMPLETED, DONE, NOT_DONE, PARTLY, STATUSES, Progress
from .sheet import city_in_title

REPORT_NAME = "進捗状況の概要.docx"
UNREPORTED = "未記入"
COLUMNS = (*STATUSES, UNREPORTED)
_COLOURS = {DONE: "#4472c4", PARTLY: "#8fb0e0", NOT_DONE: "#e07b39", COMPLETED: "#70ad47", UNREPORTED: "#bfbfbf"}


@dataclass(frozen=True)
class PillarCount:
    label: str  # "(1) 市民の協働に対する意識の醸成"
    counts: Mapping[str, int]  # status (or 未記入) → measures


def counts(progress: Progress, plan: Document, matches: Mapping[str, Match], outline: Outline) -> list[PillarCount]:
    """Per pillar of the outline (and 柱未定), last year's measures by their reported 実施状況; a
    measure with no result or another wording counts as 未記入 (the 新規候補 a draft read back still
    holds are no measures)."""
    titles = {p.number: f"({p.number}) {p.title}" for p in outline.pillars}
    table: dict[str, dict[str, int]] = {t: dict.fromkeys(COLUMNS, 0) for t in titles.values()}
    for item in plan.items:
        if CANDIDATE in item.tags:  # a 新規候補 of last year's draft left undecided: no measure yet, no sheet row
            continue
        m = matches.get(item.id)
        label = titles.get(m.pillar, "柱未定") if m is not None else "柱未定"
        row = table.setdefault(label, dict.fromkeys(COLUMNS, 0))
        r = progress.results.get(item.id)
        status = r.status if r is not None and r.status in STATUSES else UNREPORTED
        row[status] += 1
    return [PillarCount(label, c) for label, c in table.items() if any(c.values())]


def chart_png(rows: Sequence[PillarCount], title: str) -> bytes:
    """A horizontal stacked bar per pillar, as PNG bytes."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from ..compare.heatmap import japanese_font

    family, _ = japanese_font()
    with rc_context({"font.family": family, "font.size": 9, "axes.unicode_minus": False}):
        fig = Figure(figsize=(8, 0.32 * len(rows) + 1.5), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        labels = [r.label if len(r.label) <= 22 else r.label[:21] + "…" for r in rows][::-1]
        left = [0] * len(rows)
        for status in COLUMNS:
            values = [r.counts.get(status, 0) for r in rows][::-1]
            if not any(values):
                continue
            ax.barh(labels, values, left=left, color=_COLOURS[status], label=status)
            left = [a + b for a, b in zip(left, values)]
        ax.set_xlabel("事業数")
        ax.set_title(title, fontsize=11)
        ax.legend(loc="upper center", fontsize=8, ncols=len(COLUMNS), bbox_to_anchor=(0.4, -0.14), frameon=False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts of measures: whole numbers
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()


def _east_asian(doc: Any, font: str = "游明朝") -> None:
    """The document's base style in a Japanese font (python-docx's font.name sets only the Latin one)."""
    from ..ooxml import qn

    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    if fonts.get(qn("w:eastAsia")) is None:
        fonts.set(qn("w:eastAsia"), font)


def report_bytes(rows: Sequence[PillarCount], progress: Progress, from_label: str, city: str,
                 provenance: str = "") -> bytes:
    """The summary report as .docx bytes: a title, the totals, the table and the chart, the rows
    that could not be linked."""
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    template = TEMPLATE_DIR / "compare_report.docx"
    doc = WordDocument(str(template)) if template.is_file() else WordDocument()
    _east_asian(doc)
    section = doc.sections[0]
    section.page_width, section.page_height, section.orientation = Mm(210), Mm(297), WD_ORIENT.PORTRAIT
    title = f"{from_label} 市民協働推進アクションプラン 進捗状況の概要{city_in_title(city)}"
    for paragraph in section.header.paragraphs:  # the template's running header is the comparison's
        paragraph.text = ""
    section.header.paragraphs[0].text = f"{from_label} 進捗状況の概要"
    doc.add_heading(title, level=0)
    total = {c: sum(r.counts.get(c, 0) for r in rows) for c in COLUMNS}
    n = sum(total.values())
    doc.add_paragraph(f"{from_label}の{n}事業について、担当課の進行管理シート（{progress.names}）"
                      "から実施状況を施策の柱ごとに集計しました。"
                      + "、".join(f"{c} {total[c]}件" for c in COLUMNS if total[c]) + "。")
    doc.add_heading("施策の柱ごとの実施状況", level=1)
    table = doc.add_table(rows=len(rows) + 2, cols=len(COLUMNS) + 2)
    with contextlib.suppress(KeyError, ValueError):
        table.style = "Table Grid"
    head = ["施策の柱", *COLUMNS, "計"]
    for k, h in enumerate(head):
        table.rows[0].cells[k].text = h
    for r, row in enumerate(rows, start=1):
        cells = table.rows[r].cells
        cells[0].text = row.label
        for k, c in enumerate(COLUMNS, start=1):
            cells[k].text = str(row.counts.get(c, 0))
        cells[-1].text = str(sum(row.counts.values()))
    cells = table.rows[-1].cells
    cells[0].text = "合計"
    for k, c in enumerate(COLUMNS, start=1):
        cells[k].text = str(total[c])
    cells[-1].text = str(n)
    widths = [62, *(19 for _ in COLUMNS), 13]
    table.autofit = False
    for k, w in enumerate(widths):
        table.columns[k].width = Mm(w)
        for row_ in table.rows:
            row_.cells[k].width = Mm(w)
    doc.add_heading("グラフ", level=1)
    doc.add_picture(io.BytesIO(chart_png(rows, "施策の柱ごとの実施状況（事業数）")), width=Mm(165))
    for heading, lines in (("進行管理シートについて", list(progress.notes)),
                           ("担当課の記入が分かれている事業", progress.conflict_lines()),
                           ("前年度の事業と結び付けられなかった行", progress.unlinked_lines())):
        if lines:
            doc.add_heading(heading, level=1)
            for line in lines:
                doc.add_paragraph(line)
    if provenance:
        try:
            doc.add_paragraph(provenance, style="Report Note")
        except KeyError:
            doc.add_paragraph(provenance)
    doc.core_properties.title = title[:255]
    doc.core_properties.author = city[:255]
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
