"""Write the layout fixture families of the issue "Read any city's plan" and their answer key.

Each document reproduces the LAYOUT of a real public plan (or plan-like list) of another municipality, with
the measure names as printed there (names are facts); every longer sentence (事業内容, 実績, 目的 …) is
written anew. tests/fixtures/layouts/README.md names the source of each document.

    .venv/bin/python scripts/make_layout_fixtures.py [--out tests/fixtures/layouts] [--no-pdf]

Writes <out>/<family>/<city>_<what>.<ext> and <out>/expected.json. The PDFs are made from the .docx files
by LibreOffice (`soffice --headless --convert-to pdf`, fonts embedded) when soffice is on PATH; without it
the PDFs already in <out> are kept. The generated files are committed, so CI needs no LibreOffice.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "layouts"
FONT = "IPAexMincho"
GOTHIC = "IPAexGothic"


# ---------------------------------------------------------------------------------------------- answer key
@dataclass
class M:
    """One expected measure."""

    name: str
    path: list[str]
    departments: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"name": self.name, "path": self.path, "departments": self.departments, "tags": self.tags}


@dataclass
class Doc:
    file: str
    family: str
    city: str | None
    fiscal_year: int | None
    period: str | None
    source_title: str
    source_url: str
    measures: list[M]
    plan_like: bool = True

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "family": self.family,
            "city": self.city,
            "fiscal_year": self.fiscal_year,
            "period": self.period,
            "source_title": self.source_title,
            "source_url": self.source_url,
            "plan_like": self.plan_like,
            "measures": [m.as_json() for m in self.measures],
        }


# ---------------------------------------------------------------------------------------------- docx helpers
def _fonts(run_or_style, name: str = FONT, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    el = run_or_style.element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def new_document(font_size: float = 10.5, landscape: bool = False) -> Document:
    doc = Document()
    sec = doc.sections[0]
    if landscape:
        sec.page_width, sec.page_height = Mm(297), Mm(210)
    else:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(18))
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid"):
        try:
            style = doc.styles[style_name]
        except KeyError:
            continue
        heading = style_name.startswith(("Heading", "Title"))
        _fonts(style, GOTHIC if heading else FONT, None if heading else font_size)
        if heading:
            style.font.color.rgb = None
    doc.core_properties.title = ""
    doc.core_properties.author = ""
    return doc


def para(doc_or_cell, text: str = "", size: float | None = None, bold: bool = False, align: str | None = None,
         font: str = FONT, style: str | None = None):
    p = doc_or_cell.add_paragraph(style=style) if style else doc_or_cell.add_paragraph()
    if text:
        r = p.add_run(text)
        _fonts(r, font, size, bold or None)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def heading(doc, text: str, level: int) -> None:
    h = doc.add_heading(level=level)
    r = h.add_run(text)
    _fonts(r, GOTHIC, {0: 16, 1: 13, 2: 11.5, 3: 10.5}.get(level, 10.5), True)


def cell_text(cell, text: str, size: float = 9, bold: bool = False, center: bool = False) -> None:
    cell.text = ""
    lines = text.split("\n")
    p = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            p = cell.add_paragraph()
        r = p.add_run(line)
        _fonts(r, GOTHIC if bold else FONT, size, bold or None)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def shade(cell, fill: str = "D9D9D9") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def table(doc, header: list[str], widths_mm: list[float], size: float = 9):
    t = doc.add_table(rows=1, cols=len(header))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(header):
        cell_text(t.rows[0].cells[i], h, size, bold=True, center=True)
        shade(t.rows[0].cells[i])
    repeat_header(t.rows[0])
    fix_widths(t, widths_mm)
    return t


def fix_widths(t, widths_mm: list[float]) -> None:
    """Fixed column widths that LibreOffice honours too (the grid, not only the cells)."""
    t.autofit = False
    for i, w in enumerate(widths_mm):
        t.columns[i].width = Mm(w)
        for cell in t.columns[i].cells:
            cell.width = Mm(w)


def add_row(t, values: list[str], widths_mm: list[float], size: float = 9, center_cols: tuple[int, ...] = ()):
    row = t.add_row()
    for i, v in enumerate(values):
        cell_text(row.cells[i], v, size, center=i in center_cols)
        row.cells[i].width = Mm(widths_mm[i])
    return row


def merge_down(t, col: int, first: int, last: int, text: str, size: float = 9) -> None:
    """Merge rows first..last of column col into one cell holding text (a hierarchy cell down the left)."""
    top = t.cell(first, col)
    if last > first:
        top = top.merge(t.cell(last, col))
    cell_text(top, text, size)


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def two_columns(doc) -> None:
    """Start a new continuous section laid out in two columns."""
    sec = doc.add_section(WD_SECTION.CONTINUOUS)
    cols = sec._sectPr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        sec._sectPr.append(cols)
    cols.set(qn("w:num"), "2")
    cols.set(qn("w:space"), "425")
    cols.set(qn("w:sep"), "1")


def column_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.COLUMN)


# ---------------------------------------------------------------------------------------------- xlsx helpers
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def xl_cell(ws, row: int, col: int, value, head: bool = False, center: bool = False):
    c = ws.cell(row=row, column=col, value=value)
    c.border = BOX
    c.font = Font(name="ＭＳ ゴシック" if head else "ＭＳ 明朝", size=10, bold=head)
    c.alignment = CENTER if (head or center) else WRAP
    if head:
        c.fill = HEAD
    return c


def xl_merge(ws, r1: int, c1: int, r2: int, c2: int, value, head: bool = False, center: bool = False) -> None:
    xl_cell(ws, r1, c1, value, head, center)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            ws.cell(row=r, column=c).border = BOX
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def save_workbook(wb: Workbook, path: Path) -> None:
    wb.properties.creator = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def save_docx(doc, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


# ---------------------------------------------------------------------------------------------- documents
DOCS: list[Doc] = []
PDF_FROM: list[Path] = []  # .docx files to export to .pdf beside them


def shuyo_jigyo_nagahama(out: Path) -> None:
    """長浜市 令和2年度 主要事業説明資料: 主要事業一覧表, プロジェクト merged down the left, no 事業名 column
    (事業概要 is the measure), 予算額(千円), 区分 新規/拡充, 創生 ○, 担当課."""
    p1 = "ふるさとを担う「長浜人づくり」プロジェクト"
    p2 = "みんなで支える「子育て応援」プロジェクト"
    rows = [
        (p1, "長浜で活躍している人材と高校生との交流会、講演会、地元企業見学会の開催", "1,371", "", "生涯学習文化課"),
        (p1, "地域に新たな価値を生み出す高校生対象のふるさと回帰プロジェクト", "800", "", "市民活躍課"),
        (p1, "女性の起業・復職を支援するジョブカフェと女性活躍を推進する長浜女性会議の開催", "2,200", "",
         "人権施策推進課"),
        (p1, "市民活動を促進し、市民同士や子どもたちが学ぶ新たな学びの場を創出", "1,730", "新規", "市民活躍課"),
        (p2, "民間放課後児童クラブ参入促進に向けた家賃や土地貸借量の補助", "4,800", "拡充", "子育て支援課"),
        (p2, "保育士の奨学金返還支援、居住支援等", "13,453", "", "幼児課"),
        (p2, "子育て世帯の居場所づくりとして、長浜伊香ツインアリーナに総合遊具を整備", "0", "", ""),
    ]
    doc = new_document(9.5, landscape=True)
    para(doc, "令和2年度", 14, True, "center", GOTHIC)
    para(doc, "主要事業説明資料", 18, True, "center", GOTHIC)
    para(doc, "令和2年2月　滋賀県長浜市", 11, False, "center")
    page_break(doc)
    para(doc, "令和2年度主要事業一覧表　【計59事業】（抜粋）", 12, True, None, GOTHIC)
    widths = [34, 12, 106, 12, 26, 14, 12, 32]
    t = table(doc, ["区分", "番号", "事業概要", "ページ", "予算額（千円）", "区分", "創生", "担当課"], widths)
    measures = []
    first = 1
    for i, (proj, name, budget, kubun, dept) in enumerate(rows, 1):
        add_row(t, ["", str(i), name, str(i), budget, kubun, "○" if dept else "", dept], widths,
                center_cols=(1, 3, 5, 6))
        measures.append(M(name, ["重点プロジェクト 25事業", proj], [dept] if dept else [], [kubun] if kubun else []))
    # the hierarchy: one merged cell per project down the left column
    r = first
    for proj in (p1, p2):
        n = sum(1 for row in rows if row[0] == proj)
        merge_down(t, 0, r, r + n - 1, "重点プロジェクト\n" + proj)
        r += n
    path = out / "shuyo-jigyo" / "nagahama_r2_shuyo_jigyo.docx"
    save_docx(doc, path)
    PDF_FROM.append(path)
    for ext in ("docx", "pdf"):
        DOCS.append(Doc(f"shuyo-jigyo/nagahama_r2_shuyo_jigyo.{ext}", "shuyo-jigyo", "長浜市", 2020, None,
                        "令和2年度 主要事業説明資料（令和2年2月 滋賀県長浜市）",
                        "https://pdfslide.us/documents/-h-z0-1-2-q-2020-2-20-w-f-z-f-q-f-g-fffoeg.html", measures))


def shuyo_jigyo_fuchu(out: Path) -> None:
    """府中市 協働事業提案制度: 年度 merged down the left, 番号 | 事業名 | 事業概要 | 提案団体 | 市担当課 | 種別."""
    r4 = [
        ("ウィキペディアタウン in 府中", "まち歩きと図書館の調べものを組み合わせ、市内の事物の記事を参加者で書き足す催し。",
         "図書館", "行政提案型"),
        ("市内公園を活用したコミュニティガーデンの創出", "モデル公園で講座と作業の会を開き、花壇づくりの担い手と団体の"
         "つながりを育てる。", "公園緑地課", "行政提案型"),
        ("ヤギがつなげるまちづくり", "ヤギや小動物とのふれあいを入口に、世代を超えた地域の交流の場をつくる。",
         "協働共創推進課", "市民提案型"),
        ("府中駅前スカイナードにおける市民参加の美化活動", "駅前歩行者デッキの一斉清掃とプランターの手入れを市民が"
         "担い、景観への関心を高める。", "道路課", "市民提案型"),
        ("ラッコルタ‐創造素材ラボ‐（2年目）", "市内企業で出る端材を素材として集め、作品づくりの講座を開く（継続）。",
         "", "市民提案型"),
    ]
    r5 = [
        ("VUCA時代のほっこりするご近所づきあい", "変化の大きい時代に近所どうしが顔を合わせる機会を事業者と"
         "考え、試行する。", "産業振興課", "行政提案型"),
        ("うたうまち府中プロジェクト", "歌を通じて市民が集まる催しを重ね、文化活動の輪を広げる。",
         "文化生涯学習課", "市民提案型"),
        ("府中市・共生タウン化プロジェクト", "視覚に障害のある人と地域が一緒に歩き、暮らしやすいまちの姿を"
         "探る。", "障害者福祉課", "市民提案型"),
    ]
    doc = new_document(9.5)
    para(doc, "府中市　協働事業提案制度", 15, True, "center", GOTHIC)
    para(doc, "提案型協働事業一覧（令和4年度・令和5年度）", 12, False, "center", GOTHIC)
    para(doc, "府中市市民協働推進部", 10, False, "right")
    para(doc, "市民の自由な発想による「市民提案型協働事業」と、市が示すテーマに提案する「行政提案型協働事業」の"
         "二つの仕組みで採択された事業を、年度ごとに掲げます。", 9.5)
    widths = [18, 10, 42, 68, 26, 18]
    t = table(doc, ["年度", "番号", "事業名", "事業概要", "市担当課", "種別"], widths)
    measures = []
    n = 0
    for fy, rows in (("令和4年度", r4), ("令和5年度", r5)):
        start = len(t.rows)
        for name, content, dept, kind in rows:
            n += 1
            add_row(t, ["", str(n), name, content, dept, kind], widths, center_cols=(1, 5))
            measures.append(M(name, [fy], [dept] if dept else [], ["継続"] if "2年目" in name else []))
        merge_down(t, 0, start, len(t.rows) - 1, fy)
    path = out / "shuyo-jigyo" / "fuchu_kyodo_teian_jigyo.docx"
    save_docx(doc, path)
    PDF_FROM.append(path)
    for ext in ("docx", "pdf"):
        DOCS.append(Doc(f"shuyo-jigyo/fuchu_kyodo_teian_jigyo.{ext}", "shuyo-jigyo", "府中市", 2022, None,
                        "令和4年度協働事業提案制度の採択事業 / 令和5年度提案型協働事業・提案団体一覧（東京都府中市）",
                        "http://www.city.fuchu.tokyo.jp/kurashi/shiminkyoudou/teianseido/r4teiansyokai.html",
                        measures))


def shinko_kanri_fuchu(out: Path) -> None:
    """府中市市民協働推進行動計画 進行管理シート: 推進方策 merged down the left, 番号, 担当課, 取組内容 only (no name
    column: the 取組内容 is the measure), a two-row header 平成27年度 | 平成28年度 over 計画/実績/評価, then
    次年度へ向けた取組. The 取組 are 府中市's own programmes; every sentence is written anew."""
    h1 = "推進方策1 市民の協働に対する意識の醸成"
    h2 = "推進方策2 職員の意識改革及びスキルアップ"
    h3 = "推進方策3 情報共有及び双方向型コミュニケーションの推進"
    h5 = "推進方策5 市民活動拠点施設等の有効活用"
    dept = "市民活動支援課"
    rows = [
        (h1, dept, "市民協働の考え方と市の取組を知ってもらうため、市民協働推進シンポジウムを毎年開きます。", "A"),
        (h1, dept, "市民協働推進月間に合わせ、地域ごとに小さな規模の協働のミニシンポジウムを開きます。", "B"),
        (h1, dept, "協働がもたらす効果や成果をまとめた普及啓発の動画をつくり、催しや市のサイトで流します。", "B"),
        (h1, "協働推進課", "市内の協働事業の経過と成果を取材し、協働の事例集にまとめて配ります。", "A"),
        (h2, dept, "管理職と各課の協働推進員が、協働の考え方と進め方を学ぶ研修を受けます。", "B"),
        (h3, dept, "市の事業に市民が加わる機会を、広報紙とサイトで分かりやすくお知らせします。", "C"),
        (h5, dept, "市民活動センターを拠点に、団体の相談・交流・情報の受発信を支えます。", "A"),
        (h5, dept, "市民提案型と行政提案型の協働事業提案制度で、協働で行う事業を毎年募ります。", "B"),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "進行管理シート"
    ws.cell(row=1, column=1, value="府中市市民協働推進行動計画 進行管理シート").font = Font(name="ＭＳ ゴシック",
                                                                                     size=14, bold=True)
    ws.cell(row=2, column=1, value="評価　A：計画どおりに進んでいる　B：概ね進んでいる　C：遅れている")
    top, sub = 4, 5
    for col, label in ((1, "推進方策"), (2, "番号"), (3, "担当課"), (4, "取組内容")):
        xl_merge(ws, top, col, sub, col, label, head=True)
    xl_merge(ws, top, 5, top, 7, "平成27年度", head=True)
    xl_merge(ws, top, 8, top, 10, "平成28年度", head=True)
    for i, label in enumerate(("計画", "実績", "評価", "計画", "実績", "評価")):
        xl_cell(ws, sub, 5 + i, label, head=True)
    xl_merge(ws, top, 11, sub, 11, "次年度へ向けた取組", head=True)
    measures = []
    r = sub + 1
    spans: list[tuple[str, int, int]] = []
    for i, (policy, d, content, grade) in enumerate(rows, 1):
        values = (i, d, content, "継続実施", "計画どおり実施した。参加者の声を次回に生かす。", "A", "継続実施",
                  "内容を見直して実施した。" if grade != "C" else "一部を実施した。", grade,
                  "参加しやすい形を検討する。" if grade != "A" else "継続して実施する。")
        for col, v in enumerate(values, 2):
            xl_cell(ws, r, col, v, center=col in (2, 5, 7, 8, 10))
        measures.append(M(content, [policy], [d], []))
        if spans and spans[-1][0] == policy:
            spans[-1] = (policy, spans[-1][1], r)
        else:
            spans.append((policy, r, r))
        r += 1
    for policy, r1, r2 in spans:
        xl_merge(ws, r1, 1, r2, 1, policy)
    for col, w in zip("ABCDEFGHIJK", (20, 5, 13, 42, 9, 22, 5, 9, 22, 5, 20), strict=True):
        ws.column_dimensions[col].width = w
    save_workbook(wb, out / "shinko-kanri" / "fuchu_h27_shinko_kanri.xlsx")
    DOCS.append(Doc("shinko-kanri/fuchu_h27_shinko_kanri.xlsx", "shinko-kanri", "府中市", 2015, None,
                    "資料1：府中市市民協働推進行動計画進行管理シート（市民協働推進行動計画中間見直し検討部会、平成29年）",
                    "https://123deta.com/document/wye6mn4q-%E3%82%B7%E3%83%BC%E3%83%88%E4%BC%9A%E8%AD%B0%E5%8D%94"
                    "%E5%83%8D%E6%8E%A8%E9%80%B2%E8%A8%88%E7%94%BB%E4%B8%AD%E9%96%93%E8%A6%8B%E7%9B%B4%E3%81%97"
                    "%E6%A4%9C%E8%A8%8E%E9%83%A8%E4%BC%9A%E9%96%8B%E5%82%AC%E7%B5%90%E6%9E%9C%E3%83%9B%E3%83%BC"
                    "%E3%83%A0%E3%83%9A%E3%83%BC%E3%82%B8.html", measures))


NAGAHAMA_R2 = [
    ("ふるさとを担う「長浜人づくり」プロジェクト", "長浜で活躍している人材と高校生との交流会、講演会、地元企業見学会の開催",
     "生涯学習文化課", ""),
    ("ふるさとを担う「長浜人づくり」プロジェクト", "地域に新たな価値を生み出す高校生対象のふるさと回帰プロジェクト",
     "市民活躍課", ""),
    ("ふるさとを担う「長浜人づくり」プロジェクト",
     "女性の起業・復職を支援するジョブカフェと女性活躍を推進する長浜女性会議の開催", "人権施策推進課", ""),
    ("ふるさとを担う「長浜人づくり」プロジェクト", "市民活動を促進し、市民同士や子どもたちが学ぶ新たな学びの場を創出",
     "市民活躍課", "新規"),
    ("みんなで支える「子育て応援」プロジェクト", "民間放課後児童クラブ参入促進に向けた家賃や土地貸借量の補助",
     "子育て支援課", "拡充"),
    ("みんなで支える「子育て応援」プロジェクト", "保育士の奨学金返還支援、居住支援等", "幼児課", ""),
]


def shinko_kanri_nagahama(out: Path) -> None:
    """A 進行管理シート of 長浜市's 令和2年度 主要事業 (the 重点プロジェクト rows): プロジェクト merged down, No.,
    事業名, 担当課, 区分, a two-row header 令和2年度 | 令和3年度 over 計画/実績, then 評価 A/B/C and 次年度の方向."""
    wb = Workbook()
    ws = wb.active
    ws.title = "R2進行管理"
    ws.cell(row=1, column=1, value="令和2年度 主要事業 進行管理シート（重点プロジェクト）").font = Font(
        name="ＭＳ ゴシック", size=14, bold=True)
    ws.cell(row=2, column=1, value="長浜市　　評価　A：順調　B：概ね順調　C：遅れ")
    top, sub = 4, 5
    for col, label in ((1, "重点プロジェクト"), (2, "No."), (3, "事業名"), (4, "担当課"), (5, "区分")):
        xl_merge(ws, top, col, sub, col, label, head=True)
    xl_merge(ws, top, 6, top, 7, "令和2年度", head=True)
    xl_merge(ws, top, 8, top, 9, "令和3年度", head=True)
    for i, label in enumerate(("計画", "実績", "計画", "実績")):
        xl_cell(ws, sub, 6 + i, label, head=True)
    xl_merge(ws, top, 10, sub, 10, "評価", head=True)
    xl_merge(ws, top, 11, sub, 11, "次年度の方向", head=True)
    grades = ["A", "B", "A", "B", "C", "A"]
    r = sub + 1
    measures = []
    projects: list[tuple[str, int, int]] = []
    for n, ((proj, name, dept, kubun), grade) in enumerate(zip(NAGAHAMA_R2, grades, strict=True), 1):
        plan_r3 = "継続" if grade != "C" else "見直し"
        values = (n, name, dept, kubun, "実施", "予定どおり実施" if grade == "A" else "一部実施", plan_r3,
                  "", grade, "拡充" if grade == "A" else "継続")
        for col, v in enumerate(values, 2):
            xl_cell(ws, r, col, v, center=col in (2, 5, 6, 8, 10, 11))
        measures.append(M(name, [proj], [dept], [kubun] if kubun else []))
        if projects and projects[-1][0] == proj:
            projects[-1] = (proj, projects[-1][1], r)
        else:
            projects.append((proj, r, r))
        r += 1
    for proj, r1, r2 in projects:
        xl_merge(ws, r1, 1, r2, 1, proj)
    for col, w in zip("ABCDEFGHIJK", (20, 5, 44, 14, 6, 8, 14, 8, 10, 6, 10), strict=True):
        ws.column_dimensions[col].width = w
    save_workbook(wb, out / "shinko-kanri" / "nagahama_r2_shinko_kanri.xlsx")
    DOCS.append(Doc("shinko-kanri/nagahama_r2_shinko_kanri.xlsx", "shinko-kanri", "長浜市", 2020, None,
                    "令和2年度 主要事業説明資料（令和2年2月 滋賀県長浜市）の重点プロジェクトを進行管理シートの形にしたもの",
                    "https://pdfslide.us/documents/-h-z0-1-2-q-2020-2-20-w-f-z-f-q-f-g-fffoeg.html", measures))


MISATO = [
    ("1001087", "協働によるまちの魅力アップ事業", "平成22年度",
     "まちの魅力づくりにつながる活動をする町会等に、経費の一部を補助し、情報提供などで支える。",
     "地域の課題に市民と市が一緒に取り組む事業を増やす。", "補助した事業数", "件", "3", "5"),
    ("1000076", "コミュニティ施設整備事業", "昭和51年度",
     "町会・自治会の集会所など活動拠点の整備に、助成制度を活用して補助金を交付する。",
     "地域の活動拠点を整え、コミュニティ活動を盛んにする。", "補助した施設数", "件", "2", "3"),
    ("1000737", "コミュニティ協議会支援事業", "昭和55年度",
     "コミュニティ協議会の事業費を補助し、事務局として催しの運営を支える。",
     "協議会が自ら地域を元気にする事業を充実させる。", "協議会の事業への参加者数", "人", "1,200", "1,500"),
    ("1000733", "自治振興事業", "平成10年度",
     "町会・自治会の運営と自治振興・環境保全の活動を支え、連帯感を育てる。",
     "自治組織が無理なく活動を続けられるようにする。", "町会・自治会の加入率", "％", "62.0", "65.0"),
]
MISATO_PATH = ["1 地域力の醸成", "経1-1 コミュニティ活動の促進"]


def torikumi_misato_xlsx(out: Path) -> None:
    """三郷市 事務事業評価: one sheet per 事務事業, label | value cells."""
    wb = Workbook()
    wb.remove(wb.active)
    measures = []
    for code, name, start, content, aim, indicator, unit, now, target in MISATO:
        ws = wb.create_sheet(code)
        ws.cell(row=1, column=1, value="令和4年度　事務事業評価シート").font = Font(name="ＭＳ ゴシック", size=13,
                                                                                 bold=True)
        ws.cell(row=1, column=5, value="三郷市")
        rows = [
            ("事務事業コード", code), ("事業名", name), ("担当部名", "市民経済部"), ("担当課名", "市民活動支援課"),
            ("施策の柱", MISATO_PATH[0]), ("施策", MISATO_PATH[1]), ("開始年度", start), ("終了年度", "なし"),
            ("何をする事業か（概要）", content), ("目指す成果", aim),
        ]
        r = 3
        for label, value in rows:
            xl_cell(ws, r, 1, label, head=True)
            xl_merge(ws, r, 2, r, 5, value)
            r += 1
        r += 1
        for col, label in enumerate(("指標名", "単位", "現状値（令和4年度）", "目標値（令和7年度）"), 2):
            xl_cell(ws, r, col, label, head=True)
        xl_cell(ws, r, 1, "成果指標", head=True)
        xl_cell(ws, r + 1, 1, "")
        for col, v in enumerate((indicator, unit, now, target), 2):
            xl_cell(ws, r + 1, col, v, center=col != 2)
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 26
        for col in "CDE":
            ws.column_dimensions[col].width = 18
        measures.append(M(name, MISATO_PATH, ["市民活動支援課"], []))
    save_workbook(wb, out / "torikumi-sheet" / "misato_r4_jimujigyo_hyoka.xlsx")
    DOCS.append(Doc("torikumi-sheet/misato_r4_jimujigyo_hyoka.xlsx", "torikumi-sheet", "三郷市", 2022, None,
                    "事務事業 評価結果の公表（令和4年度）（埼玉県三郷市）",
                    "https://www.city.misato.lg.jp/section/disclosure/r4RE/2022/sheet/proj/1001087.html", measures))


def torikumi_misato_docx(out: Path) -> None:
    """The same 事務事業評価 sheets as a Word document, one page per 事業 (and its LibreOffice PDF)."""
    doc = new_document(10)
    measures = []
    for i, (code, name, start, content, aim, indicator, unit, now, target) in enumerate(MISATO):
        if i:
            page_break(doc)
        para(doc, "令和4年度　事務事業評価シート", 13, True, "center", GOTHIC)
        para(doc, "三郷市", 10, False, "right")
        widths = [45, 129]
        t = doc.add_table(rows=0, cols=2)
        t.style = doc.styles["Table Grid"]
        fix_widths(t, widths)
        for label, value in (("事務事業コード", code), ("事業名", name), ("担当部名", "市民経済部"),
                             ("担当課名", "市民活動支援課"), ("施策の柱", MISATO_PATH[0]), ("施策", MISATO_PATH[1]),
                             ("開始年度", start), ("何をする事業か（概要）", content), ("目指す成果", aim)):
            row = add_row(t, [label, value], widths)
            shade(row.cells[0])
        para(doc, "")
        para(doc, "成果指標", 10, True, None, GOTHIC)
        w2 = [60, 20, 47, 47]
        t2 = table(doc, ["指標名", "単位", "現状値（令和4年度）", "目標値（令和7年度）"], w2)
        add_row(t2, [indicator, unit, now, target], w2, center_cols=(1, 2, 3))
        measures.append(M(name, MISATO_PATH, ["市民活動支援課"], []))
    path = out / "torikumi-sheet" / "misato_r4_jimujigyo_hyoka.docx"
    save_docx(doc, path)
    PDF_FROM.append(path)
    DOCS.append(Doc("torikumi-sheet/misato_r4_jimujigyo_hyoka.pdf", "torikumi-sheet", "三郷市", 2022, None,
                    "事務事業 評価結果の公表（令和4年度）（埼玉県三郷市）",
                    "https://www.city.misato.lg.jp/section/disclosure/r4RE/2022/sheet/proj/1001087.html", measures))


def torikumi_yuki_docx(out: Path) -> None:
    """結城市 総合計画実施計画策定及び行政評価シート: label | value blocks 【対象】【手段】【めざす姿】, 事業費 by year."""
    sheets = [
        ("市民参画・市民活動支援事業", "市民、市民活動団体",
         "協働のまちづくりを分かりやすく伝える講演会・講座を開き、公募型の補助金で団体の活動を支える。",
         "市民が協働のまちづくりを理解し、自ら活動に加わっている。", "1,090", "1,921"),
        ("コミュニティ活動推進事業", "自治会",
         "集会所の建て替えや祭りの山車・神輿の修繕に、コミュニティ助成事業を活用して補助する。",
         "自治会の活動拠点と行事が保たれ、地域のつながりが続いている。", "2,500", "2,500"),
    ]
    policy = "基本施策1 市民・企業・行政がともに支えあう体制づくり（市民参加・広聴広報・コミュニティ・ボランティア）"
    doc = new_document(10)
    measures = []
    for i, (name, target, means, aim, b28, b29) in enumerate(sheets):
        if i:
            page_break(doc)
        para(doc, "総合計画実施計画策定及び行政評価シート", 13, True, "center", GOTHIC)
        para(doc, "結城市", 10, False, "right")
        widths = [45, 129]
        t = doc.add_table(rows=0, cols=2)
        t.style = doc.styles["Table Grid"]
        fix_widths(t, widths)
        for label, value in (("事務事業名", name), ("総合計画体系", policy), ("対象年度", "平成29年度"),
                             ("【対象（だれに対して・何に対して行うのか）】", target),
                             ("【手段（事業内容・どのようなことを行うのか）】", means),
                             ("【めざす姿（意図・どのような状態になるのか）】", aim)):
            row = add_row(t, [label, value], widths)
            shade(row.cells[0])
        para(doc, "")
        w2 = [60, 57, 57]
        t2 = table(doc, ["■事業費", "H28年度", "H29年度"], w2)
        add_row(t2, ["歳出計（千円）", b28, b29], w2, center_cols=(1, 2))
        measures.append(M(name, [policy], [], []))
    path = out / "torikumi-sheet" / "yuki_h29_gyosei_hyoka.docx"
    save_docx(doc, path)
    PDF_FROM.append(path)
    for ext in ("docx", "pdf"):
        DOCS.append(Doc(f"torikumi-sheet/yuki_h29_gyosei_hyoka.{ext}", "torikumi-sheet", "結城市", 2017, None,
                        "総合計画実施計画策定及び行政評価シート 基本施策1 市民・企業・行政がともに支えあう体制づくり"
                        "（結城市）",
                        "https://123deta.com/document/zx56g6vq-%E6%94%AF%E3%81%88%E3%81%A5%E3%81%8F%E3%82%8A%E3%82"
                        "%B3%E3%83%9F%E3%83%A5%E3%83%8B%E3%83%86%E3%82%A3%E3%83%9C%E3%83%A9%E3%83%B3%E3%83%86%E3%82"
                        "%A3%E3%82%A2|%E7%B5%90%E5%9F%8E%E5%85%AC%E5%BC%8F%E3%83%9B%E3%83%BC%E3%83%A0%E3%83%9A%E3"
                        "%83%BC%E3%82%B8.html", measures))


def matrix_nogi(out: Path) -> None:
    """野木町 栃木県わがまち未来創造事業計画書（町総括表）: № | 単位事業名 | schedule H28..H32 (○ where the
    計画書 budgets the year, → where it carries on, 検討 where not yet budgeted)."""
    years = ["平成28年度", "平成29年度", "平成30年度", "平成31年度", "平成32年度"]
    rows = [
        ("老若男女が触れ合いながら集える親水公園づくり", ["実施", "○", "○", "→", "→"]),
        ("新橋区高齢化対策検討と対策の実施事業", ["検討", "○", "○", "○", "○"]),
        ("駅前商店街活性化事業", ["○", "○", "○", "○", "○"]),
        ("野木町春まつり", ["○", "○", "○", "○", "○"]),
        ("野木町ふれあい夏祭り", ["○", "○", "○", "○", "○"]),
        ("野木町駅伝大会", ["○", "○", "○", "→", "→"]),
    ]
    doc = new_document(9.5, landscape=True)
    para(doc, "別記様式第1号-1", 9)
    para(doc, "栃木県わがまち未来創造事業計画書（町総括表）", 15, True, "center", GOTHIC)
    para(doc, "【単独事業】　　市町名　野木町", 10.5)
    para(doc, "計画期間：平成28年度～平成32年度", 10.5)
    widths = [40, 10, 86] + [24] * 5
    t = table(doc, ["区分", "№", "単位事業名", *years], widths)
    measures = []
    for i, (name, marks) in enumerate(rows, 1):
        add_row(t, ["", str(i), name, *marks], widths, center_cols=(1, 3, 4, 5, 6, 7))
        measures.append(M(name, ["【単独事業】"], [], []))
    merge_down(t, 0, 1, len(rows), "【単独事業】\nわがまち未来創造事業")
    para(doc, "凡例　○：実施　→：継続　検討：実施に向け検討", 9)
    path = out / "matrix" / "nogi_h28_wagamachi_keikaku.docx"
    save_docx(doc, path)
    DOCS.append(Doc("matrix/nogi_h28_wagamachi_keikaku.docx", "matrix", "野木町", 2016, "平成28年度～平成32年度",
                    "栃木県わがまち未来創造事業計画書（町総括表）【単独事業】 野木町",
                    "https://expydoc.com/doc/10561166/%E8%A8%88%E7%94%BB%E6%9B%B8%EF%BC%88pdf%EF%BC%9A282kb%EF%BC"
                    "%89", measures))


def matrix_nagahama_chiku(out: Path) -> None:
    """長浜地区地域づくり連合会 地域づくり計画（令和2～6年度）: 目標 | 重点事業 | schedule R2..R6 in a 施策体系 matrix."""
    years = ["R2", "R3", "R4", "R5", "R6"]
    goals = [
        ("1.まちの安全、みんな安心", ["ご近所の底力を発揮して防災・防犯", "脆弱な都市構造の対策の促進"]),
        ("2.豊かな環境、みんな快適", ["魅力あるウォーターフロントづくり", "資源を生かして緑を増やす"]),
        ("3.多世代集住、みんな生き生き", ["健康づくりと交流の広場をつくる", "多様な住まい方と若者の定住を促す"]),
        ("4.子育てつながり、みんなまちに愛着", ["子どもを地域ぐるみで守り育てる", "わがまち愛する仲間をつなげる"]),
    ]
    marks = [["○", "○", "○", "○", "○"], ["検討", "検討", "→", "→", "実施"]]
    doc = new_document(9.5)
    para(doc, "長浜地区 地域づくり計画（令和2～6年度）　施策体系", 14, True, "center", GOTHIC)
    para(doc, "長浜地区地域づくり連合会（滋賀県長浜市）", 10, False, "right")
    para(doc, "めざすまちの姿　「多世代がともに住み集う快適なまち」", 11, True, None, GOTHIC)
    widths = [40, 70] + [12] * 5
    t = table(doc, ["目標", "重点事業", *years], widths)
    measures = []
    for goal, items in goals:
        start = len(t.rows)
        for j, item in enumerate(items, 1):
            add_row(t, ["", f"({j}) {item}", *marks[j - 1]], widths, center_cols=(2, 3, 4, 5, 6))
            measures.append(M(item, [goal], [], []))
        merge_down(t, 0, start, len(t.rows) - 1, goal)
    para(doc, "○：実施　→：継続　検討：検討", 9)
    path = out / "matrix" / "nagahama_r2_chiiki_zukuri.docx"
    save_docx(doc, path)
    DOCS.append(Doc("matrix/nagahama_r2_chiiki_zukuri.docx", "matrix", "長浜市", 2020, "令和2～6年度",
                    "長浜地区地域づくり連合会 4つの目標と重点事業（地域づくり計画 令和2～6年度）",
                    "https://ntd-rengoukai.com/action", measures))


def numbered_outline_nagahama(out: Path) -> None:
    """長浜地区地域づくり連合会 令和6年度 事業計画: heading styles, 1 / (1) numbering, ★ marks with a 凡例,
    a narrative paragraph that is not a measure, 全体で取り組む事業 as numbered lines."""
    goals = [
        ("1.まちの安全、みんな安心", ["ご近所の底力を発揮して防災・防犯", "脆弱な都市構造の対策の促進"]),
        ("2.豊かな環境、みんな快適", ["魅力あるウォーターフロントづくり", "資源を生かして緑を増やす"]),
        ("3.多世代集住、みんな生き生き", ["健康づくりと交流の広場をつくる", "多様な住まい方と若者の定住を促す"]),
        ("4.子育てつながり、みんなまちに愛着", ["子どもを地域ぐるみで守り育てる", "わがまち愛する仲間をつなげる"]),
    ]
    doc = new_document(10.5)
    heading(doc, "令和6年度 長浜地区地域づくり連合会 事業計画", 0)
    para(doc, "長浜地区地域づくり連合会（滋賀県長浜市）", 10, False, "right")
    heading(doc, "1 基本方針", 1)
    para(doc, "本年度は地域づくり計画（令和2～6年度）の締めくくりの年です。これまでの取組を振り返って評価し、"
         "次の計画につながるよう、地区が抱える課題の解消に幅広く取り組みます。")
    heading(doc, "2 4つの目標と重点事業", 1)
    para(doc, "凡例　★＝重点事業", 9.5)
    para(doc, "めざすまちの姿　「多世代がともに住み集う快適なまち」")
    measures = []
    for goal, items in goals:
        heading(doc, goal, 2)
        for j, item in enumerate(items, 1):
            para(doc, f"　({j}) ★{item}")
            measures.append(M(item, ["2 4つの目標と重点事業", goal], [], ["重点"]))
    heading(doc, "3 全体で取り組む事業", 1)
    whole = [("長浜まちなかフェスタの開催", "地区の住民が集い、まちなかの課題と解決の方法を一緒に考える催しを開く"
              "（10周年）。"),
             ("行政への要望、行政との協働化の推進", "地域でできることは地域で担い、行政と役割を分けて協働を進める。")]
    for i, (name, text) in enumerate(whole, 1):
        para(doc, f"①{name}" if i == 1 else f"②{name}", None, True)
        para(doc, f"　{text}")
        measures.append(M(name, ["3 全体で取り組む事業"], [], []))
    path = out / "numbered-outline" / "nagahama_r6_jigyo_keikaku.docx"
    save_docx(doc, path)
    PDF_FROM.append(path)
    for ext in ("docx", "pdf"):
        DOCS.append(Doc(f"numbered-outline/nagahama_r6_jigyo_keikaku.{ext}", "numbered-outline", "長浜市", 2024,
                        None, "長浜地区地域づくり連合会 令和6年度 基本方針・4つの目標と重点事業・全体で取り組む事業",
                        "https://ntd-rengoukai.com/action", measures))


def numbered_outline_numazu(out: Path) -> None:
    """沼津市 環境基本計画 第5章 市民協働重点プロジェクト: 5-1 / 5-1-1 numbered headings with narrative
    (not measures), 5-2-1 … the projects, ◎ for 先行して取り組むもの per a 凡例, ア/イ sub-lines."""
    projects = [
        ("すごいぞ大地と海のめぐみプロジェクト", ""),
        ("ぬまづ自然再発見プロジェクト", ""),
        ("ごみニャーぬまづプロジェクト", ""),
        ("環境教育推進プロジェクト", ""),
        ("ストップ地球温暖化プロジェクト", ""),
    ]
    doc = new_document(10.5)
    heading(doc, "第5章 市民協働重点プロジェクト", 0)
    para(doc, "沼津市環境基本計画", 10, False, "right")
    heading(doc, "5-1 市民協働重点プロジェクトの位置付け", 1)
    heading(doc, "5-1-1 市民協働重点プロジェクトの趣旨", 2)
    para(doc, "第4章に掲げた取り組みのうち、市民との協働で進めることで効果が大きいものを選び、優先して"
         "取り組むものを市民協働重点プロジェクトとしました。プロジェクトは環境基本計画推進委員会が中心となり、"
         "市、市民、事業者、地域組織、市民団体が力を合わせて進めます。")
    heading(doc, "5-1-2 市民協働重点プロジェクトの共通テーマ", 2)
    para(doc, "ア　環境を知る　イ　環境を守る　ウ　環境を伝える")
    heading(doc, "5-2 市民協働重点プロジェクトの内容", 1)
    measures = []
    for i, (name, mark) in enumerate(projects, 1):
        heading(doc, f"5-2-{i} {mark}{name}", 2)
        para(doc, "ア　取り組みの内容：市民団体と市が役割を分け、体験の場づくりと情報の発信を続けます。")
        para(doc, "イ　主な担い手：市民、事業者、市民団体、市")
        measures.append(M(name, ["第5章 市民協働重点プロジェクト", "5-2 市民協働重点プロジェクトの内容"], [],
                          ["先行"] if mark else []))
    path = out / "numbered-outline" / "numazu_kankyo_kyodo_pj.docx"
    save_docx(doc, path)
    DOCS.append(Doc("numbered-outline/numazu_kankyo_kyodo_pj.docx", "numbered-outline", "沼津市", None, None,
                    "沼津市環境基本計画 第5章 市民協働重点プロジェクト",
                    "https://paperzz.com/doc/5997503/%E7%AC%AC-5-%E7%AB%A0-%E5%B8%82%E6%B0%91%E5%8D%94%E5%83%8D"
                    "%E9%87%8D%E7%82%B9%E3%83%97%E3%83%AD%E3%82%B8%E3%82%A7%E3%82%AF%E3%83%88", measures))


FUCHU_JIREI = [
    ("■市が主体の事業・市民と市が主体の事業", ["水辺の楽校推進事業", "地域ごみ対策推進事業", "市民文化の日", "地域まつり",
                                         "高齢者見守りネットワーク事業", "市民協働推進シンポジウム"]),
    ("■市民が主体の事業", ["超高齢社会の街づくりフェスタ2015", "下堰（しもぜき）緑地の保全活動", "けやき音楽祭JAZZinFUCHU"]),
]
FUCHU_JIREI_URL = "http://www.city.fuchu.tokyo.jp/kurashi/shiminkyoudou/tebiki/kyodo.html"


def bullets_fuchu(out: Path) -> None:
    """府中市 決め手はこれだ!協働の事例集: ■ headings with ・ bullets (.txt and .docx)."""
    lines = ["決め手はこれだ！協働の事例集", "府中市", "",
             "市内で行われている協働事業の経過と成果、取り組む人の思いをまとめました。", ""]
    measures = []
    for head, items in FUCHU_JIREI:
        lines.append(head)
        for item in items:
            lines.append(f"・{item}")
            measures.append(M(item, [head.lstrip("■")], [], []))
        lines.append("")
    (out / "bullets").mkdir(parents=True, exist_ok=True)
    (out / "bullets" / "fuchu_kyodo_jireishu.txt").write_text("\n".join(lines), encoding="utf-8")
    doc = new_document(10.5)
    para(doc, lines[0], 15, True, "center", GOTHIC)
    para(doc, lines[1], 10.5, False, "right")
    para(doc, lines[3])
    for head, items in FUCHU_JIREI:
        para(doc, head, 11.5, True, None, GOTHIC)
        for item in items:
            para(doc, f"・{item}")
    save_docx(doc, out / "bullets" / "fuchu_kyodo_jireishu.docx")
    for ext in ("txt", "docx"):
        DOCS.append(Doc(f"bullets/fuchu_kyodo_jireishu.{ext}", "bullets", "府中市", None, None,
                        "協働の事例集「決め手はこれだ!協働の事例集」主な内容（東京都府中市）", FUCHU_JIREI_URL,
                        measures))


def bullets_hokkaido(out: Path) -> None:
    """北海道 平成19年度協働評価実施事業: ◆ heading, ○ bullets with the 担当部課 on the same line (.md)."""
    items = [
        ("北海道遺産構想", "企画振興部地域振興・計画局地域づくり支援室"),
        ("平成19年度環境の村事業", "環境生活部環境局環境政策課"),
        ("平成19年度高山植物盗掘防止パトロール業務", "環境生活部環境局自然環境課"),
        ("平成19年度海棲哺乳類保護委託業務", "環境生活部環境局自然環境課"),
        ("平成19年度市民活動促進講座開催業務", "環境生活部生活局道民活動文化振興課"),
        ("北海道認知症介護研修業務（実践リーダー研修、開設者研修）", "保健福祉部福祉局高齢者保健福祉課"),
        ("高次脳機能障害者支援事業（就労支援・就学支援・施設支援）", "保健福祉部福祉局障害者保健福祉課"),
        ("平成19年度道民森づくりネットワークの集い実施事業", "水産林務部森林管理局森林活用課"),
    ]
    lines = ["# 平成19年度 協働評価について", "", "北海道 環境生活部 道民生活課", "",
             "道と市民活動団体が協働で行った事業を、双方が評価シートで振り返り、次の取組に生かします。", "",
             "◆平成19年度協働評価実施事業", ""]
    measures = []
    for name, dept in items:
        lines.append(f"○ {name}（{dept}）")
        measures.append(M(name, ["平成19年度協働評価実施事業"], [dept], []))
    lines += ["", "◆協働評価の手順", "", "1. 事業の後、団体と道の担当部局がそれぞれ評価シートに記入します。",
              "2. 担当部局が評価シートを道民活動文化振興課に出します。", "3. 結果を協働推進会議で決め、公表します。", ""]
    (out / "bullets").mkdir(parents=True, exist_ok=True)
    (out / "bullets" / "hokkaido_h19_kyodo_hyoka.md").write_text("\n".join(lines), encoding="utf-8")
    DOCS.append(Doc("bullets/hokkaido_h19_kyodo_hyoka.md", "bullets", "北海道", 2007, None,
                    "19評価結果 平成19年度協働評価実施事業（北海道環境生活部道民生活課）",
                    "http://www.pref.hokkaido.lg.jp/ks/dms/19hyokakekka.htm", measures))


def two_column_fuchu(out: Path) -> None:
    """A 広報-style page in two columns: masthead across the page, then the 事例集's projects as ・ lines in both
    columns under ■ headings, with a 問合せ box at the end."""
    doc = new_document(10)
    para(doc, "広報ふちゅう　市民協働のページ", 16, True, "center", GOTHIC)
    para(doc, "府中市", 10, False, "right")
    para(doc, "協働の事例集ができました　～決め手はこれだ！～", 12, True, "center", GOTHIC)
    two_columns(doc)
    measures = []
    para(doc, "市内で行われている協働事業を取材し、事例集にまとめました。取り組む人たちの工夫と思いを、ぜひ"
         "ご覧ください。事例集は市役所と市民活動センターで配っています。")
    for k, (head, items) in enumerate(FUCHU_JIREI):
        if k == 1:
            column_break(doc)
        para(doc, head, 11, True, None, GOTHIC)
        for item in items:
            para(doc, f"・{item}")
            measures.append(M(item, [head.lstrip("■")], [], []))
    para(doc, "問合せ　協働推進課", 9.5, True)
    path = out / "two-column" / "fuchu_koho_kyodo_jireishu.docx"
    save_docx(doc, path)
    PDF_FROM.append(path)
    DOCS.append(Doc("two-column/fuchu_koho_kyodo_jireishu.pdf", "two-column", "府中市", None, None,
                    "協働の事例集「決め手はこれだ!協働の事例集」主な内容（東京都府中市）", FUCHU_JIREI_URL, measures))


def two_column_kazo(out: Path) -> None:
    """広報かぞ 市民活動のページ: two columns, ◆ headings with ・ lines (the 市民活動ステーション events)."""
    center = "市民活動支援課"
    left = [("◆市民活動ステーション『くらくら館』", [("『くらくら館』5周年記念事業", center),
                                              ("市民活動団体学習会", center)])]
    right = [("◆市民と市長の対話", [("出前市長室", "")]),
             ("◆家族・地域の絆推進運動", [("家族・地域の絆推進運動ポスター・標語コンクール入賞作品の展示", "")])]
    doc = new_document(10)
    para(doc, "広報かぞ　市民活動", 16, True, "center", GOTHIC)
    para(doc, "加須市", 10, False, "right")
    para(doc, "市民活動ステーションは「あなた」と「あなた」のパイプ役です", 11.5, True, "center", GOTHIC)
    two_columns(doc)
    measures = []
    for k, block in enumerate((left, right)):
        if k:
            column_break(doc)
        for head, items in block:
            para(doc, head, 11, True, None, GOTHIC)
            for item, dept in items:
                para(doc, f"・{item}")
                measures.append(M(item, [head.lstrip("◆")], [dept] if dept else [], []))
            para(doc, "家族や地域のつながりを深め、助け合いの心を育てる取組として、市全体で進めています。", 9.5)
    para(doc, "問合せ　市民活動支援課", 9.5, True)
    path = out / "two-column" / "kazo_koho_shimin_katsudo.docx"
    save_docx(doc, path)
    PDF_FROM.append(path)
    DOCS.append(Doc("two-column/kazo_koho_shimin_katsudo.pdf", "two-column", "加須市", None, None,
                    "加須市市民活動ステーション『くらくら館』5周年記念事業が開催されました（広報かぞ）",
                    "https://expydoc.com/doc/11656182/", measures))


def nonplans(out: Path) -> None:
    """Documents that must be recognised as NOT a plan: a budget table, statistics by 町丁目, a facility list."""
    wb = Workbook()
    ws = wb.active
    ws.title = "歳出予算"
    ws.cell(row=1, column=1, value="一般会計歳出予算事項別明細（抜粋）　（単位：千円）")
    head = ["款", "項", "目", "本年度予算額", "前年度予算額", "比較", "国県支出金", "地方債", "一般財源"]
    for c, h in enumerate(head, 1):
        xl_cell(ws, 3, c, h, head=True)
    data = [
        ("2 総務費", "1 総務管理費", "1 一般管理費", 812345, 798001), ("", "", "2 文書広報費", 45210, 44987),
        ("", "", "6 企画費", 120554, 118320), ("", "", "10 市民活動推進費", 38760, 36540),
        ("", "2 徴税費", "1 税務総務費", 301233, 299870), ("", "", "2 賦課徴収費", 98765, 101234),
        ("3 民生費", "1 社会福祉費", "1 社会福祉総務費", 1502300, 1487650), ("", "", "2 障害者福祉費", 2301456, 2250987),
        ("", "2 児童福祉費", "1 児童福祉総務費", 987650, 950320), ("4 衛生費", "1 保健衛生費", "1 保健衛生総務費", 412300,
                                                               405600),
    ]
    for r, (kan, kou, moku, now, prev) in enumerate(data, 4):
        for c, v in enumerate((kan, kou, moku, now, prev, now - prev, round(now * 0.2), 0, now - round(now * 0.2)), 1):
            xl_cell(ws, r, c, v, center=c > 3)
    for col, w in zip("ABCDEFGHI", (12, 14, 18, 14, 14, 10, 12, 10, 12), strict=True):
        ws.column_dimensions[col].width = w
    save_workbook(wb, out / "nonplan" / "budget_kan_kou_moku.xlsx")
    DOCS.append(Doc("nonplan/budget_kan_kou_moku.xlsx", "nonplan", None, None, None,
                    "made for this fixture set: 歳出予算 款/項/目/予算額", "", [], plan_like=False))

    doc = new_document(9.5)
    para(doc, "町丁目別人口・世帯数（令和6年4月1日現在）", 13, True, "center", GOTHIC)
    widths = [40, 26, 26, 26, 26, 26]
    t = table(doc, ["町丁目", "世帯数", "男", "女", "計", "前月比"], widths)
    towns = ["本町一丁目", "本町二丁目", "本町三丁目", "栄町一丁目", "栄町二丁目", "緑が丘一丁目", "緑が丘二丁目",
             "東町", "西町", "南町一丁目", "南町二丁目", "北町", "旭町", "若葉台", "桜ケ丘"]
    for i, town in enumerate(towns):
        men, women = 812 + 37 * i, 845 + 29 * i
        add_row(t, [town, f"{(men + women) // 2:,}", f"{men:,}", f"{women:,}", f"{men + women:,}",
                    f"{(-1) ** i * (i % 7)}"], widths, center_cols=(1, 2, 3, 4, 5))
    para(doc, "資料：住民基本台帳", 9)
    path = out / "nonplan" / "population_by_chochome.docx"
    save_docx(doc, path)
    PDF_FROM.append(path)
    DOCS.append(Doc("nonplan/population_by_chochome.pdf", "nonplan", None, None, None,
                    "made for this fixture set: 町丁目別人口・世帯数", "", [], plan_like=False))

    doc = new_document(9.5)
    para(doc, "地区市民センター・集会施設一覧", 13, True, "center", GOTHIC)
    widths = [44, 70, 32, 28]
    t = table(doc, ["施設名", "所在地", "電話番号", "休館日"], widths)
    facilities = [("中央地区市民センター", "本町一丁目2番3号", "0120-000-101", "月曜日"),
                  ("東部地区市民センター", "東町4番5号", "0120-000-102", "月曜日"),
                  ("西部地区市民センター", "西町6番7号", "0120-000-103", "火曜日"),
                  ("南部地区市民センター", "南町一丁目8番9号", "0120-000-104", "月曜日"),
                  ("北部地区市民センター", "北町10番11号", "0120-000-105", "水曜日"),
                  ("市民活動センター", "栄町二丁目1番1号", "0120-000-106", "第3月曜日"),
                  ("緑が丘集会所", "緑が丘一丁目12番", "0120-000-107", "年末年始"),
                  ("若葉台コミュニティハウス", "若葉台3番14号", "0120-000-108", "月曜日")]
    for f in facilities:
        add_row(t, list(f), widths, center_cols=(2, 3))
    save_docx(doc, out / "nonplan" / "facility_list.docx")
    DOCS.append(Doc("nonplan/facility_list.docx", "nonplan", None, None, None,
                    "made for this fixture set: 施設名・所在地・電話番号の一覧", "", [], plan_like=False))


# ---------------------------------------------------------------------------------------------- pdf export
def export_pdfs(paths: list[Path]) -> list[str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return [f"soffice not found: kept the existing {p.with_suffix('.pdf').name}" for p in paths]
    notes = []
    with tempfile.TemporaryDirectory() as profile:
        for src in paths:
            cmd = [soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                   "--outdir", str(src.parent), str(src)]
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
            if res.returncode or not src.with_suffix(".pdf").exists():
                notes.append(f"soffice failed on {src.name}: {res.stderr.strip()[:200]}")
    return notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-pdf", action="store_true", help="do not run soffice (keep the PDFs already there)")
    args = ap.parse_args(argv)
    out: Path = args.out
    DOCS.clear()
    PDF_FROM.clear()
    for make in (shuyo_jigyo_nagahama, shuyo_jigyo_fuchu, shinko_kanri_fuchu, shinko_kanri_nagahama,
                 torikumi_misato_xlsx, torikumi_misato_docx, torikumi_yuki_docx, matrix_nogi, matrix_nagahama_chiku,
                 numbered_outline_nagahama, numbered_outline_numazu, bullets_fuchu, bullets_hokkaido,
                 two_column_fuchu, two_column_kazo, nonplans):
        make(out)
    notes = [] if args.no_pdf else export_pdfs(PDF_FROM)
    # a .docx written only to be exported is not itself in the key unless listed; remove none of them: they are
    # the sources of the PDFs and stay beside them
    key = [d.as_json() for d in DOCS]
    (out / "expected.json").write_text(json.dumps(key, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for n in notes:
        print(n, file=sys.stderr)
    missing = [d.file for d in DOCS if not (out / d.file).exists()]
    total = sum(len(d.measures) for d in DOCS)
    print(f"wrote {len(DOCS)} documents ({total} expected measures) to {out}")
    if missing:
        print("missing: " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
