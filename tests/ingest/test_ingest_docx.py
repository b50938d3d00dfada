"""DOCX reader: the plan in other table layouts gives the text version's items; merged cells,
nested and frame tables, text boxes, content controls and tracked changes are read as Word shows them."""
from __future__ import annotations

from pathlib import Path

import pytest
from docmaker import Layout, Plan, fields, p_xml, tbl_xml, tc_xml, write_docx, write_docx_xml

from pipeline.ingest import ingest_file, read_blocks
from pipeline.model import Block, Document

LAYOUTS = {
    "departments-first": Layout(columns=("departments", "mark", "name", "content")),
    "mark-last": Layout(columns=("name", "content", "departments", "mark")),
    "content-before-name": Layout(columns=("mark", "content", "name", "departments")),
    "mark-in-name-cell": Layout(columns=("name", "content", "departments")),
    "header-spanned": Layout(header_span=True),
    "header-not-spanned": Layout(header_span=False),
    "mark-column-headed-主体": Layout(header_span=False, mark_header="主体"),
    "merged-departments": Layout(merge_departments=True),
    "departments-on-one-line": Layout(departments_sep=" "),
    "no-repeated-header": Layout(repeat_header=False),
    "mark-after-name-spanned": Layout(columns=("name", "mark", "content", "departments"), header_span=True),
    "all-at-once": Layout(columns=("departments", "content", "name"), merge_departments=True, departments_sep=" "),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layout_gives_the_items_of_the_text(
    name: str, plan: Plan, text_doc: Document, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = write_docx(plan, tmp_path_factory.mktemp("docx") / f"{name}.docx", LAYOUTS[name])
    doc = ingest_file(path, use_cache=False)
    assert [fields(i) for i in doc.items] == [fields(i) for i in text_doc.items]
    assert all(i.source.table and i.source.row for i in doc.items)


def test_merged_cells_in_the_xml(plan: Plan, tmp_path: Path) -> None:
    """A spanned header gives None for the columns it covers, and so does a vertically merged cell in
    the rows under its first (as a PDF of the document and a workbook read them): the parser carries a
    merged 関係部署 down to the measures beside it."""
    path = write_docx(plan, tmp_path / "merged.docx", Layout(header_span=True, merge_departments=True))
    rows = [b for b in read_blocks(path)[0] if b.is_row]
    assert rows[0].cells == ("項 目", None, "アクションプランの内容", "関係部署")
    xml = (tmp_path / "merged.docx").read_bytes()
    assert xml  # the merges are real XML merges, not repeated text:
    import zipfile

    document = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "<w:vMerge/>" in document or '<w:vMerge w:val="continue"/>' in document
    assert '<w:gridSpan w:val="2"/>' in document
    second = [b for b in rows if b.source.table == 1][2]
    assert second.cells[3] is None  # covered by the merge of the row above
    assert all(i.departments == ("地域再生推進本部", "関係各部") for i in ingest_file(path, use_cache=False).items[:2])


def _blocks(tmp_path: Path, body: str) -> list[Block]:
    return read_blocks(write_docx_xml(tmp_path / "t.docx", body))[0]


def test_paragraph_numbers_and_table_rows(tmp_path: Path) -> None:
    body = (
        p_xml("題名") + "<w:p/>" + p_xml("■見出し")
        + tbl_xml([[tc_xml("項目"), tc_xml("内容")], [tc_xml("● 名前"), tc_xml("一行目\n二行目")]], 2)
        + p_xml("後書き")
    )
    blocks = _blocks(tmp_path, body)
    assert [(b.text, b.source.line) for b in blocks if not b.is_row] == [("題名", 1), ("■見出し", 3), ("後書き", 4)]
    rows = [b for b in blocks if b.is_row]
    assert [(b.source.table, b.source.row) for b in rows] == [(1, 1), (1, 2)]
    assert rows[1].cells == ("● 名前", "一行目\n二行目")
    assert rows[1].text == "● 名前\t一行目\n二行目"


def test_vertical_and_horizontal_merges(tmp_path: Path) -> None:
    rows = [
        [tc_xml("項目", span=2), tc_xml("内容"), tc_xml("関係部署")],
        [tc_xml("◎"), tc_xml("一"), tc_xml("内容一"), tc_xml("本部\n関係各部", vmerge="restart")],
        [tc_xml("●"), tc_xml("二"), tc_xml("内容二"), tc_xml(vmerge="continue")],
        [tc_xml("■次の取組", span=4)],
    ]
    blocks = _blocks(tmp_path, tbl_xml(rows, 4))
    assert [b.cells for b in blocks] == [
        ("項目", None, "内容", "関係部署"),
        ("◎", "一", "内容一", "本部\n関係各部"),
        ("●", "二", "内容二", None),  # (covered by the merge above; the parser carries it down)
        ("■次の取組", None, None, None),
    ]
    doc = ingest_file(tmp_path / "t.docx", use_cache=False)
    assert [(i.name, i.actor, i.departments) for i in doc.items] == [
        ("一", "both", ("本部", "関係各部")),
        ("二", "city", ("本部", "関係各部")),
    ]


def test_nested_table_is_flattened_into_its_cell(tmp_path: Path) -> None:
    nested = tbl_xml([[tc_xml("地域再生推進本部"), tc_xml("主管")], [tc_xml("関係各部"), tc_xml("協力")]], 2)
    rows = [
        [tc_xml("項目"), tc_xml("内容"), tc_xml("関係部署")],
        [tc_xml("◎ 名前"), tc_xml("内容です。"), tc_xml(inner=nested)],
    ]
    blocks = _blocks(tmp_path, tbl_xml(rows, 3))
    assert blocks[1].cells == ("◎ 名前", "内容です。", "地域再生推進本部 主管\n関係各部 協力")
    assert [b.source.table for b in blocks] == [1, 1]  # the nested table is not counted


def test_one_column_frame_table_is_read_as_body(tmp_path: Path) -> None:
    """Plans often put a page in a one-cell frame: its paragraphs are lines, its tables tables."""
    inner = (
        p_xml("施策1")
        + p_xml("協働の意識を高める")
        + tbl_xml([[tc_xml("項目"), tc_xml("内容"), tc_xml("関係部署")],
                   [tc_xml("● 研修"), tc_xml("研修を行います。"), tc_xml("総務課")]], 3)
    )
    path = write_docx_xml(tmp_path / "frame.docx", tbl_xml([[tc_xml(inner=inner)]], 1))
    doc = ingest_file(path, use_cache=False)
    assert [(i.policy, i.name, i.departments, i.source.table) for i in doc.items] == [
        ("施策1 協働の意識を高める", "研修", ("総務課",), 1)
    ]


def test_text_boxes_content_controls_revisions_and_symbols(tmp_path: Path) -> None:
    box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        "<a:graphicData><wps:wsp><wps:txbx><w:txbxContent>" + p_xml("施策2 情報を共有する")
        + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" + p_xml("施策2 情報を共有する")
        + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = (
        "<w:p>" + box + "</w:p>"
        + "<w:sdt><w:sdtContent>" + p_xml("■控えの見出し") + "</w:sdtContent></w:sdt>"
        + "<w:p><w:r><w:t>残す</w:t></w:r><w:del><w:r><w:delText>消した</w:delText></w:r></w:del>"
        + "<w:ins><w:r><w:t>足した</w:t></w:r></w:ins>"
        + "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>きょうどう</w:t></w:r></w:rt>"
        + "<w:rubyBase><w:r><w:t>協働</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>"
        + '<w:p><w:r><w:sym w:font="ＭＳ 明朝" w:char="25CE"/><w:sym w:font="Wingdings" w:char="F06C"/>'
        + "<w:t>記号</w:t></w:r></w:p>"
    )
    texts = [b.text for b in _blocks(tmp_path, body)]
    # Wingdings F06C is the ● it draws
    assert texts == ["施策2 情報を共有する", "■控えの見出し", "残す足した協働", "◎●記号"]


def test_python_docx_does_not_resolve_external_entities(tmp_path: Path) -> None:
    """python-docx parses with resolve_entities=False; the reader refuses a DOCTYPE before that."""
    import docx
    from docmaker import write_xxe_docx

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    path = write_xxe_docx(tmp_path / "xxe.docx", secret)
    document = docx.Document(str(path))
    assert "TOP-SECRET-VALUE" not in "".join(p.text for p in document.paragraphs)
    assert b"TOP-SECRET-VALUE" not in document.element.xml.encode()


def test_merging_filled_cells_does_not_repeat_departments(tmp_path: Path) -> None:
    """Merging two filled cells (Word or python-docx) stacks both texts in the merged cell."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, values in enumerate([("項目", "内容", "関係部署"), ("◎ 一", "内容一", "本部\n関係各部"),
                                ("● 二", "内容二", "本部\n関係各部")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2))
    document.save(str(tmp_path / "naive.docx"))
    rows = [b.cells for b in read_blocks(tmp_path / "naive.docx")[0]]
    assert rows[1][2] == "本部\n関係各部\n本部\n関係各部" and rows[2][2] is None
    doc = ingest_file(tmp_path / "naive.docx", use_cache=False)
    assert [i.departments for i in doc.items] == [("本部", "関係各部")] * 2
