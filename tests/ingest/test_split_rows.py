"""A table row split by a page break in a PDF: Word and LibreOffice let a row break across pages unless
told not to, so a measure with a long 取組内容 runs on at the top of the next page with its number,
name and 担当課 cells empty. Before, that rest was read as a row of its own with no name and lost (the
PDF's measures had a third to half of their content). It is now the rest of the measure above, as
the .docx it was exported from reads it, while the next measure under a 施策 merged down over the
page break stays a measure of its own. Names are real measures' as printed (秦野市, 伊勢原市, 一関市
pages); the contents are in our own words."""
from __future__ import annotations

from pathlib import Path

from pipeline.ingest import ingest_file
from tests.docmaker import libreoffice_pdf

MEASURES = [
    ("市民提案型協働事業", "市民活動支援課"),
    ("市民活動サポートセンター運営事業", "市民協働課"),
    ("協働事業提案制度", "企画課"),
    ("地域担当職員制度", "地域づくり課"),
    ("市民活動団体登録制度", "市民協働課"),
    ("協働コーディネーター養成講座", "生涯学習課"),
    ("まちづくり出前講座", "広報広聴課"),
    ("市民活動保険制度", "市民協働課"),
]
SENTENCE = ("市民活動団体と市が役割を分け合い、企画の段階から話し合いを重ねて事業を進めるとともに、"
            "その経過と成果を広報紙やホームページで市民に分かりやすく知らせる。")


def _word(path: Path) -> Path:
    """施策 | 取組 | 取組内容 | 担当課, the 施策 merged down beside four measures each, contents of 4 to 7
    lines of text per cell so that rows break across the A4 pages."""
    import docx

    document = docx.Document()
    document.add_paragraph("第3次市民協働推進計画 実施計画")
    table = document.add_table(rows=1 + len(MEASURES), cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["施策", "取組", "取組内容", "担当課"]):
        cell.text = text
    for r, (name, dept) in enumerate(MEASURES, start=1):
        cells = table.rows[r].cells
        cells[1].text, cells[3].text = name, dept
        cells[2].text = "\n".join([SENTENCE] * (4 + r % 4))
    table.cell(1, 0).text = "施策1 協働の担い手を育てる"
    table.cell(5, 0).text = "施策2 協働の仕組みをつくる"
    table.cell(1, 0).merge(table.cell(4, 0))
    table.cell(5, 0).merge(table.cell(8, 0))
    document.save(path)
    return path


def _read(path: Path) -> list[tuple[str, tuple[str, ...], tuple[str, ...], str]]:
    return [(i.name, i.path, i.departments, i.content) for i in ingest_file(path, use_cache=False).items]


def test_a_row_split_by_a_page_break_is_one_measure_as_in_its_word_document(tmp_path: Path) -> None:
    word = _word(tmp_path / "実施計画.docx")
    libreoffice_pdf(word)
    from_word = _read(word)
    assert [name for name, *_ in from_word] == [name for name, _ in MEASURES]
    assert all(content.count("市民活動団体と市が") == 4 + r % 4 for r, (*_, content) in enumerate(from_word, start=1))
    import pdfplumber

    with pdfplumber.open(tmp_path / "実施計画.pdf") as doc:
        pages = len(doc.pages)
        # the layout this is about: some page opens with the rest of a measure (its 取組 cell empty)
        opened = [page.extract_tables()[0][0] for page in doc.pages[1:] if page.extract_tables()]
    assert pages >= 3 and any(row[0] in ("", None) and not row[1] and row[2] for row in opened)
    assert _read(tmp_path / "実施計画.pdf") == from_word


def test_which_first_rows_of_a_page_are_the_rest_of_the_row_above() -> None:
    from pipeline.ingest.pdf import _is_split_row

    header = [("施策", "取組", "取組内容", "担当課")]
    prev = ("施策1 協働の担い手を育てる", "市民提案型協働事業", "市民活動団体と市が…", "市民活動支援課")
    assert _is_split_row(header, prev, ("", "", "…その成果を知らせる。", ""))  # the rest of its 取組内容
    assert _is_split_row(header, prev, (None, "", "…その成果を知らせる。", ""))  # (施策 merged down)
    # the next measure under the 施策 merged down over the page break: a measure of its own
    assert not _is_split_row(header, prev, (None, "協働事業提案制度", "市が示す課題に…", "企画課"))
    assert not _is_split_row(header, prev, ("■施策2 協働の仕組みをつくる", None, None, None))  # a heading's row
    assert not _is_split_row(header, prev[:2] + ("", prev[3]), ("", "", "本文", ""))  # no 内容 above to continue
    assert not _is_split_row([("番号", "施策")], prev, ("", "", "本文", ""))  # no name column to tell by
