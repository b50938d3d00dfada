"""協働事業 sheets with the project's name printed above its label | value table, as 龍ケ崎市 lists its
市民提案型協働事業: the name on a line of its own (bold, a Word heading or plain), then 実施団体・協働事業担当課 |
実施団体：… ⏎ 協働事業担当課：…, 内容 | …, 提案年度・実施年度 | …. Before, the table had no name row, so each
project was lost and the document was not even read as a plan. The project names are 龍ケ崎市's as printed;
the contents are in our own words."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file
from tests.docmaker import add_label_table, libreoffice_pdf

PROJECTS = [
    ("小貝川、牛久沼流域の環境美化活動", "実施団体：小貝川・花とふれあいの輪\n協働事業担当課：下水道課",
     "堤の荒れ地に花を植え、流域の景観と憩いの場をつくる。", "平成23年度提案→平成24年度実施"),
    ("みんなのふれあいセレモニー：ミニ「上棟式」", "実施団体：龍ケ崎市建築技能者組合\n協働事業担当課：商工振興課",
     "伝統の上棟の儀式を子どもたちに伝え、三世代が交わる場を開く。", "平成24年度提案→平成24年度実施"),
    ("龍ケ崎グリーン・ツーリズム（アグリツーリズム）のための人材育成と組織化事業",
     "実施団体：NPO法人バイオライフ\n協働事業担当課：まちづくり推進課（農業政策課）",
     "農業体験の受け入れを担う人を育て、組織にまとめる。", "平成26年度提案→平成27年度実施"),
]
DEPARTMENTS = [("下水道課",), ("商工振興課",), ("まちづくり推進課(農業政策課)",)]  # (departments are NFKC)


def _sheets(path: Path, style: str) -> Path:
    document = docx.Document()
    document.add_paragraph("令和6年度 協働事業の実施状況")
    document.add_heading("市民提案型協働事業", 1)
    for name, who, what, when in PROJECTS:
        if style == "bold":
            document.add_paragraph().add_run(name).bold = True
        elif style == "heading":
            document.add_heading(name, 2)
        else:
            document.add_paragraph(name)
        add_label_table(document, (("実施団体・協働事業担当課", who), ("内容", what), ("提案年度・実施年度", when)),
                        "Table Grid")
    document.save(path)
    return path


@pytest.mark.parametrize("style", ["bold", "heading", "plain"])
def test_the_line_above_a_label_value_table_names_the_project(tmp_path: Path, style: str) -> None:
    doc = ingest_file(_sheets(tmp_path / "協働事業.docx", style), use_cache=False)
    assert doc.plan_like
    assert [i.name for i in doc.items] == [p[0] for p in PROJECTS]
    assert [i.departments for i in doc.items] == DEPARTMENTS  # (実施団体 is the partner, not a department)
    assert [i.content for i in doc.items] == [p[2] for p in PROJECTS]
    assert [i.schedule for i in doc.items] == [{"提案年度・実施年度": p[3]} for p in PROJECTS]
    assert all(i.path == ("市民提案型協働事業",) for i in doc.items)


def test_the_libreoffice_pdf_of_it_reads_the_same_projects(tmp_path: Path) -> None:
    pdf = libreoffice_pdf(_sheets(tmp_path / "協働事業.docx", "bold"))
    items = ingest_file(pdf, use_cache=False).items
    assert [i.name for i in items] == [p[0] for p in PROJECTS]
    # (a department wrapped in the PDF's cell is one department still)
    assert [i.departments for i in items] == DEPARTMENTS


def test_a_sentence_or_a_label_above_the_table_names_nothing(tmp_path: Path) -> None:
    """The line above is no name when it is a sentence or a label line (担当課：…): with no name row, the
    table stays what it was (no measure is made up)."""
    document = docx.Document()
    document.add_paragraph("令和6年度 協働事業の実施状況")
    for above in ("次の事業を市民団体と協働で実施しました。", "担当課：市民協働課"):
        document.add_paragraph(above)
        add_label_table(document, (("実施団体", "NPO法人まちの輪"), ("内容", "清掃活動を行う。"), ("実施年度", "令和6年度")))
    document.save(tmp_path / "報告.docx")
    names = [i.name for i in ingest_file(tmp_path / "報告.docx", use_cache=False).items]
    assert "次の事業を市民団体と協働で実施しました。" not in names and "担当課：市民協働課" not in names
    assert not any("清掃" in n for n in names)


def test_the_name_lines_kubun_tags_the_project(tmp_path: Path) -> None:
    """A 区分 printed after the name (…【新規】, …〈継続〉) tags the project, as it does a name row's."""
    document = docx.Document()
    document.add_heading("市民提案型協働事業", 1)
    for (name, who, what, when), kubun in zip(PROJECTS, ("【新規】", "〈継続〉", "")):
        document.add_paragraph().add_run(name + kubun).bold = True
        add_label_table(document, (("実施団体・協働事業担当課", who), ("内容", what), ("提案年度・実施年度", when)),
                        "Table Grid")
    document.save(tmp_path / "協働事業.docx")
    items = ingest_file(tmp_path / "協働事業.docx", use_cache=False).items
    assert [i.name for i in items] == [p[0] for p in PROJECTS]
    assert [i.tags for i in items] == [("新規",), ("継続",), ()]
