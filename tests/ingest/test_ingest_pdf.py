"""PDF reader: the plan laid out in other ways gives the text version's items; page furniture,
wrapped lines, fake bold and letter-spacing are handled."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from docmaker import PDF_LAYOUTS, Layout, Para, Plan, Row, Table, fields, write_pdf

from pipeline.ingest import ingest_file, read_blocks
from pipeline.model import Block, Document

LAYOUTS = PDF_LAYOUTS


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layout_gives_the_items_of_the_text(
    name: str, plan: Plan, text_doc: Document, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = write_pdf(plan, tmp_path_factory.mktemp("pdf") / f"{name}.pdf", LAYOUTS[name])
    doc = ingest_file(path, use_cache=False)
    assert [fields(i) for i in doc.items] == [fields(i) for i in text_doc.items]
    assert all(i.source.page and i.source.table and i.source.row for i in doc.items)
    assert doc.fiscal_year is not None and doc.fiscal_year.year == 2009


def _blocks(plan: Plan, path: Path, layout: Layout | None = None) -> list[Block]:
    return read_blocks(write_pdf(plan, path, layout or Layout()))[0]


SMALL = Plan(
    (
        Para("平成22年度 協働推進アクションプラン", "title"),
        Para("施策1", "policy"),
        Para("協働の意識を高める！！", "body"),
        Para("■多様な手段で、市政に関する市民からの意見を受け止めるとともに、情報交換を行う仕組みの検討を行います。〈新規〉", "measure"),
        Table((Row("◎", "自治会、地域で", "説明会を開催します。(随時)", ("地域再生推進本部", "関係各部")),
               Row("●", "広報紙の利用", "概要版を掲載します。", ("地域再生推進本部", "関係各部")))),
    )
)


def test_page_furniture_is_dropped_when_it_repeats(tmp_path: Path) -> None:
    """Running header (title) and "- N -" footers go; with a title page, 3+ pages are needed."""
    from docmaker import PageBreak

    plan = Plan(SMALL.elements[:1] + (PageBreak(),) + (SMALL.elements[1:] + (PageBreak(),)) * 3)
    blocks, pages, _, _ = read_blocks(write_pdf(plan, tmp_path / "furniture.pdf"))
    assert pages == 4
    texts = [b.text for b in blocks if not b.is_row]
    assert texts.count("平成22年度 協働推進アクションプラン") == 1  # the title page only
    assert not any(t.startswith("- ") for t in texts)
    assert [b.source.page for b in blocks if b.text == "施策1"] == [2, 3, 4]
    assert [b.source.line for b in blocks if b.source.page == 2 and not b.is_row] == [1, 2, 3]


@pytest.mark.parametrize(
    ("text", "is_number"),
    [("- 3 -", True), ("－３－", True), ("3", True), ("12 / 40", True), ("p.7", True), ("(4)", True),
     ("5ページ", True), ("施策1", False), ("2009年", False), ("平成21年度", False), ("- 協働 -", False)],
)
def test_bare_page_numbers(text: str, is_number: bool) -> None:
    from pipeline.ingest.pdf import _PAGE_NUMBER

    assert bool(_PAGE_NUMBER.match(text)) is is_number


def test_wrapped_heading_is_one_line_with_its_tag(tmp_path: Path) -> None:
    blocks = _blocks(SMALL, tmp_path / "wrapped.pdf")
    heading = [b.text for b in blocks if b.text.startswith("■")]
    assert heading == [SMALL.elements[3].text]  # wrapped over two lines in the PDF


def test_fake_bold_is_read_once(tmp_path: Path) -> None:
    import pdfplumber

    path = write_pdf(SMALL, tmp_path / "bold.pdf", Layout(bold_twice=True))
    with pdfplumber.open(path) as pdf:
        raw = "".join(c["text"] for c in pdf.pages[0].chars)
    assert raw.count("施策1") == 2  # drawn twice, 0.35pt apart
    blocks = read_blocks(path)[0]
    assert "施策1" in [b.text for b in blocks]
    assert ("", "項目", "アクションプランの内容", "関係部署") in [b.cells for b in blocks]


def test_letter_spaced_text_is_not_split(tmp_path: Path) -> None:
    blocks = _blocks(SMALL, tmp_path / "spaced.pdf", Layout(char_space=4.5))
    assert "協働の意識を高める！！" in [b.text for b in blocks]
    assert [b.cells[1] for b in blocks if b.is_row][1:] == ["自治会、地域で", "広報紙の利用"]


def test_spanned_department_cell_gives_none(tmp_path: Path) -> None:
    path = write_pdf(SMALL, tmp_path / "merged.pdf", Layout(merge_departments=True))
    rows = [b.cells for b in read_blocks(path)[0] if b.is_row]
    assert rows[1][3] == "地域再生推進本部\n関係各部" and rows[2][3] is None
    doc = ingest_file(path, use_cache=False)
    assert [i.departments for i in doc.items] == [("地域再生推進本部", "関係各部")] * 2
    assert [i.tags for i in doc.items] == [("新規", "随時"), ("新規",)]


def test_framed_paragraph_is_read_as_lines(tmp_path: Path) -> None:
    """A one-column box around text is not a table (its line would become an item)."""
    from docmaker import MINCHO, _register_fonts
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_fonts()
    c = canvas.Canvas(str(tmp_path / "box.pdf"), pagesize=A4, invariant=1)
    c.rect(60, 600, 400, 60)
    c.setFont(MINCHO, 11)
    c.drawString(70, 640, "協働(共働)を進めることにより、次の3つの事項の実現を考えています。")
    c.showPage()
    c.save()
    blocks = read_blocks(tmp_path / "box.pdf")[0]
    assert [(b.text, b.is_row) for b in blocks] == [("協働(共働)を進めることにより、次の3つの事項の実現を考えています。", False)]


# -- structure rules the PDF layout needs --------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("地域再生推進本部\n関係各部", ["地域再生推進本部", "関係各部"]),
        ("地域再生推進本\n部\n関係各部", ["地域再生推進本部", "関係各部"]),  # wrapped in a narrow cell
        ("市民協働推\n進課", ["市民協働推進課"]),
        ("関係各部\n署", ["関係各部署"]),
        ("地域再生推進本部\n職員", ["地域再生推進本部", "職員"]),
        ("総務課、企画課", ["総務課", "企画課"]),
    ],
)
def test_department_lines_wrapped_in_a_pdf_cell(cell: str, expected: list[str]) -> None:
    from pipeline.ingest.structure import split_departments

    assert split_departments(cell, rejoin_wrapped=True) == expected
    if "\n" in cell:  # other formats: every line is a department
        assert split_departments(cell) == [d for d in cell.replace("、", "\n").split("\n") if d]


def test_one_cell_heading_row_wrapped_in_its_cell() -> None:
    from pipeline.ingest.structure import parse_blocks
    from pipeline.model import Source

    src = Source("x.pdf", page=1, table=1, row=1)
    blocks = [
        Block("", src, ("■事業の成果や課題を掘り下げ、実効性のある推進モ\nデル事業を検討します。<<新規>>", None, None)),
        Block("", src, ("項目", "内容", "関係部署")),
        Block("", src, ("◎ 組織強化", "体制の強化を図ります。", "本部")),
    ]
    doc = parse_blocks(blocks, path="x.pdf", sha256="", fmt="pdf", cjk_spaces=True)
    assert [(i.measure, i.tags) for i in doc.items] == [
        ("事業の成果や課題を掘り下げ、実効性のある推進モデル事業を検討します。", ("新規",))
    ]


def test_table_continues_below_a_running_header_that_stays(tmp_path: Path) -> None:
    """With two pages the running header cannot be seen to repeat and stays, yet the table still
    continues on page 2 (same table number, rows numbered on)."""
    rows = (
        Row("◎", "自治会、地域で", "自治会等への出前による協働についての説明会を開催します。"
            "地域づくり団体等への出前による協働についての説明会を開催します。", ("地域再生推進本部", "関係各部")),
        Row("●", "協働(共働)に係る経費負担に関するルール", "協働(共働)に係る経費負担に関するルールづくりの"
            "検討を始めます。指定管理者制度等の運用を見直し、市民からの業務提案制度の導入を検討します。",
            ("地域再生推進本部", "関係各部")),
        Row("◎", "里親制度の導入検討", "里親制度について研究し、次年度以降の導入を検討します。", ("地域再生推進本部",)),
    ) * 2
    plan = Plan((Para("平成22年度 アクションプラン", "title"), Para("施策1", "policy"), Para("協働", "body"), Table(rows)))
    layout = Layout(page_height_mm=180, font_size=12, repeat_header=False)
    blocks, pages, _, _ = read_blocks(write_pdf(plan, tmp_path / "two.pdf", layout))
    assert pages == 2
    assert "平成22年度 アクションプラン" in [b.text for b in blocks if b.source.page == 2]  # header kept
    table_rows = [b for b in blocks if b.is_row]
    assert {b.source.page for b in table_rows} == {1, 2}
    assert [(b.source.table, b.source.row) for b in table_rows] == [(1, n) for n in range(1, 8)]


def test_libreoffice_export_gives_the_items_of_the_text(text_doc: Document) -> None:
    """A PDF from another producer (LibreOffice, from a .docx: embedded CJK fonts, 内容 before 項目,
    header cells wrapped in their cell, merged department cells and rows cut by page breaks)."""
    path = FIXTURES / "libreoffice-merged-cells-across-pages.pdf"
    doc = ingest_file(path, use_cache=False)
    assert [fields(i) for i in doc.items] == [fields(i) for i in text_doc.items]
    assert doc.title == "平成21年度市民協働(共働)推進アクションプラン"
    assert doc.city == "対馬市" and doc.fiscal_year is not None and doc.fiscal_year.year == 2009


def test_header_cell_wrapped_in_its_cell() -> None:
    from pipeline.ingest.structure import header_roles

    assert header_roles(["項 目", "アクションプランの内\n容", "関係\n部署"]) == ["name", "content", "departments"]


def test_merged_cell_cut_by_a_page_break_stays_merged() -> None:
    """The repeated header on the next page does not end the merged 関係部署 cell above it."""
    from pipeline.ingest.structure import parse_blocks
    from pipeline.model import Source

    def row(page: int, n: int, *cells: str | None) -> Block:
        return Block("", Source("x.pdf", page=page, table=1, row=n), tuple(cells))

    blocks = [
        row(1, 1, "項目", "内容", "関係部署"),
        row(1, 2, "◎ 一", "内容一", "地域再生推進本部\n関係各部"),
        row(2, 3, "項目", "内容", "関係部署"),
        row(2, 4, "● 二", "内容二", None),
    ]
    doc = parse_blocks(blocks, path="x.pdf", sha256="", fmt="pdf", cjk_spaces=True)
    assert [i.departments for i in doc.items] == [("地域再生推進本部", "関係各部")] * 2


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [("ルールづくりの検\n討を", "始めます。", "ルールづくりの検\n討を\n始めます。"), ("◎", "", "◎"), (None, "", None),
     (None, None, None), (None, "関係各部", "関係各部"), ("", "", "")],
)
def test_parts_of_a_cell_cut_by_a_page_break(a: str | None, b: str | None, joined: str | None) -> None:
    from pipeline.ingest.pdf import _join_cells

    assert _join_cells(a, b) == joined


def test_policy_headings_opening_pages_are_not_furniture(tmp_path: Path) -> None:
    """Each 施策 on its own page puts 施策1, 施策2 … at the same place at the top of most pages; with
    their numbers masked they would look like a running header."""
    from docmaker import PageBreak

    elements: list[Para | Table | PageBreak] = [Para("平成22年度 協働推進アクションプラン", "title")]
    for n in range(1, 5):
        elements += [PageBreak(), Para(f"施策{n}", "policy"), Para(f"第{n}の柱", "body"),
                     Table((Row("◎", f"研修{n}", f"研修を行います{n}。", ("総務課",)),))]
    layout = Layout(page_header=False, page_numbers=False, top_margin_mm=10)
    path = write_pdf(Plan(tuple(elements)), tmp_path / "policies.pdf", layout)
    blocks, pages, _, _ = read_blocks(path)
    assert pages == 5
    assert [b.text for b in blocks if b.text.startswith("施策")] == ["施策1", "施策2", "施策3", "施策4"]
    doc = ingest_file(path, use_cache=False)
    assert [i.policy for i in doc.items] == [f"施策{n} 第{n}の柱" for n in range(1, 5)]


def test_a_numbered_row_cut_by_a_page_break_is_one_measure() -> None:
    """LibreOffice's PDF of a Word table lets a row break across pages: the number, department, 区分 and
    stages print with the first half (地域づくりリーダー養), the next page starts with the rest of the name
    and content only (成講座). That rest continues the row; a numbered row on the next page is a measure."""
    from pipeline.ingest.structure import parse_blocks
    from pipeline.model import Source

    def row(page: int, table: int, n: int, *cells: str | None) -> Block:
        return Block("", Source("x.pdf", page=page, table=table, row=n), tuple(cells))

    header = ("番号", "事業名", "事業の内容", "担当課", "区分", "H29", "H30")
    blocks = [
        row(1, 1, 1, *header),
        row(1, 1, 2, "4", "出前市長室", "市長が地域に出向き、市民と話し合う。", "秘書課", "継続", "実施", "実施"),
        row(1, 1, 3, "5", "地域づくりリーダー養", "地域活動の担い手となる人", "生涯学習課", "新規", "検討", "実施"),
        row(2, 2, 1, "", "成講座", "材を育てる連続講座を開く。", "", "", "", ""),
        row(2, 2, 2, "6", "協働推進員の設置", "各課に協働推進員を置く。", "政策課", "継続", "実施", "実施"),
    ]
    doc = parse_blocks(blocks, path="x.pdf", sha256="", fmt="pdf", cjk_spaces=True)
    assert [(i.name, i.number, i.departments) for i in doc.items] == [
        ("出前市長室", "4", ("秘書課",)), ("地域づくりリーダー養成講座", "5", ("生涯学習課",)),
        ("協働推進員の設置", "6", ("政策課",))]
    assert doc.items[1].content == "地域活動の担い手となる人材を育てる連続講座を開く。"
    # the header repeated at the top of the next page (Word's 見出し行の繰り返し) is the same header
    repeated = [*blocks[:3], row(2, 1, 4, *header), *(row(2, 1, 5 + k, *b.cells) for k, b in enumerate(blocks[3:]))]
    again = parse_blocks(repeated, path="x.pdf", sha256="", fmt="pdf", cjk_spaces=True)
    assert [(i.name, i.number) for i in again.items] == [(i.name, i.number) for i in doc.items]


def test_a_table_of_its_own_at_the_top_of_the_next_page_is_not_the_rest_of_a_row() -> None:
    """Page 2 opens with a heading and a table with a header of its own (取組名 | 内容), whose measures
    have no number: they are measures of their own, not the rest of the numbered row before the page
    break (before, three names were glued into one and two measures lost)."""
    from pipeline.ingest.structure import parse_blocks
    from pipeline.model import Source

    def row(page: int, table: int, n: int, *cells: str | None) -> Block:
        return Block("", Source("x.pdf", page=page, table=table, row=n), tuple(cells))

    blocks = [
        Block("(1) 協働の意識づくり", Source("x.pdf", page=1, line=1)),
        row(1, 1, 1, "No.", "取組名", "内容", "担当課"),
        row(1, 1, 2, "1", "協働フォーラムの開催", "市民と協働を学ぶフォーラムを開く。", "市民協働課"),
        row(1, 1, 3, "2", "出前講座の実施", "職員が地域に出向いて協働を説明する。", "市民協働課"),
        Block("(2) 協働の担い手づくり（各課共通の取組）", Source("x.pdf", page=2, line=1)),
        row(2, 2, 1, "取組名", "内容"),
        row(2, 2, 2, "まちづくり塾の開催", "地域の担い手を育てる連続講座を開く。"),
        row(2, 2, 3, "地域リーダー研修", "自治会の役員に研修を行う。"),
    ]
    doc = parse_blocks(blocks, path="x.pdf", sha256="", fmt="pdf", cjk_spaces=True)
    assert [(i.name, i.policy) for i in doc.items] == [
        ("協働フォーラムの開催", "(1) 協働の意識づくり"), ("出前講座の実施", "(1) 協働の意識づくり"),
        ("まちづくり塾の開催", "(2) 協働の担い手づくり(各課共通の取組)"),
        ("地域リーダー研修", "(2) 協働の担い手づくり(各課共通の取組)")]
