"""Word as city offices use it. Automatic numbering: a plan whose 施策1 / (1) / ① are drawn by Word
(word/numbering.xml), not typed, reads as the same plan with the numbers typed; counters restart under
a new heading, lists continue or start afresh as Word numbers them, styles carry numbering, bullets of
symbol fonts are the marks they draw. And what Word does not show is not read: the table of contents,
hidden text, a content control's placeholder, text moved away or deleted with its paragraph; headings
by outline level are headings."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docmaker import fields, p_xml, patch_docx, tbl_xml, tc_xml, write_docx_xml

from pipeline.ingest import ingest_file, read_blocks
from pipeline.ingest.word_numbering import number_text

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _lvl(ilvl: int, fmt: str, text: str, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


# abstractNum 1: 施策%1 / (%2) / circled %3; 2: a bullet of the Symbol font; 3: 第%1章 in kanji
NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NS}>'
    '<w:abstractNum w:abstractNumId="1">'
    + _lvl(0, "decimal", "施策%1") + _lvl(1, "decimal", "(%2)") + _lvl(2, "decimalEnclosedCircle", "%3")
    + _lvl(3, "aiueoFullWidth", "%4") + '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="2">'
    + _lvl(0, "bullet", "\uf0b7", '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr>')
    + _lvl(1, "bullet", "\uf06e", '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr>')
    + '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="3">' + _lvl(0, "japaneseCounting", "第%1章", '<w:pStyle w:val="Chapter"/>')
    + '</w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="1"/>'
    '<w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
    '</w:numbering>'
)
# A chapter style numbered by the style itself (as Word's 見出し 1 with 段落番号 is)
CHAPTER_STYLE = ('<w:style w:type="paragraph" w:customStyle="1" w:styleId="Chapter"><w:name w:val="章見出し"/>'
                 '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
                 # Word's contents lines, a custom heading style by outline level, one based on it, hidden text
                 '<w:style w:type="paragraph" w:styleId="21"><w:name w:val="toc 2"/></w:style>'
                 '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Goal"><w:name w:val="目標見出し"/>'
                 '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
                 '<w:style w:type="paragraph" w:customStyle="1" w:styleId="GoalBold"><w:name w:val="目標見出し太字"/>'
                 '<w:basedOn w:val="Goal"/></w:style>'
                 '<w:style w:type="character" w:customStyle="1" w:styleId="Old"><w:name w:val="旧名"/>'
                 '<w:rPr><w:vanish/></w:rPr></w:style>')


def numbered(text: str, num: int, ilvl: int) -> str:
    """A paragraph Word numbers with list num at level ilvl (the label is not in its text)."""
    return p_xml(text).replace("<w:p>", f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/>'
                                       f'<w:numId w:val="{num}"/></w:numPr></w:pPr>', 1)


def styled(text: str, style: str) -> str:
    return p_xml(text).replace("<w:p>", f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>', 1)


# (list, level, text): the plan as Word numbers it; level None for a paragraph of content
PLAN = (
    (1, 0, "市民の協働に対する意識の醸成"),
    (1, 1, "啓発活動の充実"),
    (1, 2, "市民協働出前講座の実施（市民協働課）"),
    (None, None, "市民団体の求めに応じて職員が出向き、協働の考え方を説明する。"),
    (1, 2, "協働事例集の発行【新規】（市民協働課）"),
    (None, None, "市内の協働の取組を集めて冊子にし、公民館などで配る。"),
    (1, 0, "職員の意識改革・スキルアップ"),
    (1, 1, "職員研修の充実"),
    (1, 2, "職員協働研修の実施（人事課）"),
    (None, None, "新任職員と管理職に、協働の進め方を学ぶ研修を行う。"),
)
TYPED = ("施策1 ", "(1) ", "① ", "", "② ", "", "施策2 ", "(1) ", "① ", "")


def _write(path: Path, body: str, styles: bool = False) -> Path:
    write_docx_xml(path, body)
    parts = {"word/numbering.xml": NUMBERING.encode("utf-8")}
    if styles:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/styles.xml").decode("utf-8")
        parts["word/styles.xml"] = xml.replace("</w:styles>", CHAPTER_STYLE + "</w:styles>").encode("utf-8")
    return patch_docx(path, parts)


def test_numbers_drawn_by_word_read_as_numbers_typed(tmp_path: Path) -> None:
    auto = _write(tmp_path / "自動番号.docx", "".join(
        p_xml(text) if num is None else numbered(text, num, level) for num, level, text in PLAN))
    typed = _write(tmp_path / "手入力.docx", "".join(p_xml(label + text) for label, (_, _, text) in zip(TYPED, PLAN)))
    texts = [b.text for b in read_blocks(auto)[0]]
    assert texts == [label + text for label, (_, _, text) in zip(TYPED, PLAN)]
    doc, same = ingest_file(auto, use_cache=False), ingest_file(typed, use_cache=False)
    assert [fields(i) for i in doc.items] == [fields(i) for i in same.items]
    names = [i.name for i in doc.items]
    assert names == ["市民協働出前講座の実施", "協働事例集の発行", "職員協働研修の実施"]
    assert doc.items[1].tags == ("新規",) and doc.items[2].departments == ("人事課",)
    assert "市民の協働に対する意識の醸成" in " ".join(doc.items[0].path)
    assert "職員の意識改革・スキルアップ" in " ".join(doc.items[2].path)
    assert "冊子" in doc.items[1].content


def test_restarts_overrides_styles_and_bullets(tmp_path: Path) -> None:
    body = "".join((
        styled("計画の基本的な考え方", "Chapter"),
        styled("具体的な取組", "Chapter"),
        numbered("地域活動の支援", 1, 2),
        numbered("人材の育成", 1, 2),
        numbered("新しい一覧の最初", 4, 2),  # a startOverride starts again at ①
        numbered("前の一覧の続き", 5, 2),  # another w:num of the same abstractNum shares its counter (as Word)
        numbered("ポータルサイトの運営", 2, 0),
        numbered("選択肢", 1, 3),
        p_xml("番号を外した段落").replace("<w:p>", '<w:p><w:pPr><w:pStyle w:val="Chapter"/><w:numPr>'
                                      '<w:numId w:val="0"/></w:numPr></w:pPr>', 1),
        tbl_xml([[tc_xml("番号"), tc_xml("取組")],
                 [tc_xml(inner=numbered("", 1, 2).replace("<w:r><w:t xml:space=\"preserve\"></w:t></w:r>", "")
                         + numbered("表の中の番号", 1, 2)), tc_xml("提案制度の見直し")]], 2),
    ))
    texts = [b.text for b in read_blocks(_write(tmp_path / "番号.docx", body, styles=True))[0]]
    assert texts[:9] == ["第一章 計画の基本的な考え方", "第二章 具体的な取組", "① 地域活動の支援", "② 人材の育成",
                         "① 新しい一覧の最初", "② 前の一覧の続き", "・ ポータルサイトの運営", "ア 選択肢",
                         "番号を外した段落"]
    assert texts[9].split("\t")[0] == "番号"
    # a numbered paragraph with no text is its number (a No. column Word numbers)
    assert texts[10].split("\t")[0] == "③\n④ 表の中の番号"


def test_a_document_without_numbering_reads_as_before(tmp_path: Path) -> None:
    path = write_docx_xml(tmp_path / "plain.docx", p_xml("(1) 市民協働の推進") + p_xml("① 出前講座の実施"))
    assert [b.text for b in read_blocks(path)[0]] == ["(1) 市民協働の推進", "① 出前講座の実施"]


@pytest.mark.parametrize("n, fmt, expected", [
    (3, "decimalEnclosedCircle", "③"), (21, "decimalEnclosedCircle", "21"), (2, "aiueoFullWidth", "イ"),
    (11, "japaneseCounting", "十一"), (20, "japaneseCounting", "二十"), (105, "japaneseCounting", "百五"),
    (12, "decimalFullWidth", "１２"), (4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (27, "upperLetter", "AA"),
    (3, "ideographTraditional", "丙"), (2, "irohaFullWidth", "ロ"), (1, "aiueo", "ｱ"), (7, "decimalZero", "07"),
    (5, "none", ""), (5, "ordinal", "5"),
])
def test_number_formats(n: int, fmt: str, expected: str) -> None:
    assert number_text(n, fmt) == expected


def test_what_word_does_not_show_is_not_read(tmp_path: Path) -> None:
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    body = "".join((
        styled("(1) 市民協働の推進\t2", "21"),  # a line of the table of contents
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        f'<w:sdtContent>{p_xml("目次")}{p_xml("(2) 職員の意識改革 3")}</w:sdtContent></w:sdt>',
        styled("施策を進める体制", "Goal"),
        styled("協働の担い手", "GoalBold"),
        p_xml("職員協働研修の実施").replace("</w:p>", run.format("").replace("<w:r>", '<w:r><w:rPr><w:vanish/></w:rPr>')
                                         .replace("></w:t>", ">（旧：協働研修会）</w:t>") + "</w:p>"),
        p_xml("協働推進員の配置").replace("</w:p>", '<w:r><w:rPr><w:rStyle w:val="Old"/></w:rPr><w:t>（旧名）</w:t></w:r>'
                                        '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
                                        + run.format("（ここをクリックしてテキストを入力）") + "</w:sdtContent></w:sdt></w:p>"),
        '<w:p><w:moveFrom w:id="1" w:author="a" w:date="2024-04-01T00:00:00Z">' + run.format("移した取組") + "</w:moveFrom></w:p>",
        numbered("協働出前講座の開催", 1, 2),
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr><w:rPr><w:del w:id="2" w:author="a"/>'
        '</w:rPr></w:pPr><w:del w:id="3" w:author="a"><w:r><w:delText>廃止した取組</w:delText></w:r></w:del></w:p>',
        numbered("協働事例集の発行", 1, 2),
        p_xml("本文の段落").replace("<w:p>", '<w:p><w:pPr><w:pStyle w:val="Goal"/><w:outlineLvl w:val="9"/></w:pPr>', 1),
        numbered("取組の要点", 2, 1),
        '<w:p><w:r><w:sym w:font="Wingdings" w:char="F075"/><w:t>重点の取組</w:t></w:r></w:p>',
    ))
    blocks = read_blocks(_write(tmp_path / "表示.docx", body, styles=True))[0]
    assert [(b.text, b.level) for b in blocks] == [
        ("施策を進める体制", 2), ("協働の担い手", 2),  # by the style's outline level, and one based on it
        ("職員協働研修の実施", None), ("協働推進員の配置", None),
        ("① 協働出前講座の開催", None), ("② 協働事例集の発行", None),  # the deleted paragraph is not counted
        ("本文の段落", None),  # outline level 9 is body text
        ("■ 取組の要点", None), ("◆重点の取組", None),  # Wingdings' ■ and ◆
    ]


def test_a_department_on_the_line_after_its_name_is_the_department(tmp_path: Path) -> None:
    """① 名前【継続】 and （担当課） parted by a manual line break (Shift+Enter) in one paragraph."""
    def broken(name: str, dept: str) -> str:
        return (f'<w:p><w:r><w:t>{name}</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>{dept}</w:t></w:r></w:p>')

    body = "".join((p_xml("（１）協働事例の周知"), broken("①　協働事業事例集の作成【新規】", "（市民活動支援課・広報課）"),
                    p_xml("市内の協働の事例を冊子で紹介します。"), broken("②　市民協働出前講座の開催", "（市民活動支援課）"),
                    p_xml("自治会や学校に出向きます。"), broken("③　交流会の開催", "（年2回程度）"),
                    # a remark after a line that has its department already, or a label：value, stays content
                    broken("④　コミュニティバスの運行支援（交通政策課）", "（対象地域：市北部）"),
                    broken("⑤　公民館講座の開催", "（主催：各地区の公民館運営審議会・女性部）")))
    doc = ingest_file(write_docx_xml(tmp_path / "改行.docx", body), use_cache=False)
    assert [(i.name, i.departments, i.tags) for i in doc.items] == [
        ("協働事業事例集の作成", ("市民活動支援課", "広報課"), ("新規",)),
        ("市民協働出前講座の開催", ("市民活動支援課",), ()),
        ("交流会の開催", (), ()),  # a bracket that is no department stays the next line
        ("コミュニティバスの運行支援", ("交通政策課",), ()), ("公民館講座の開催", (), ()),
    ]
    assert doc.items[3].content.startswith("（対象地域：市北部）")  # as printed
    assert doc.items[0].content == "市内の協働の事例を冊子で紹介します。"


def test_a_band_spanning_a_word_table_heads_the_rows_under_it(tmp_path: Path) -> None:
    body = tbl_xml([
        [tc_xml("No"), tc_xml("取組名"), tc_xml("担当課"), tc_xml("区分")],
        [tc_xml("市民活動の裾野の拡大", span=4)],
        [tc_xml("1"), tc_xml("市民活動入門講座の開催"), tc_xml("市民活動推進課"), tc_xml("継続")],
        [tc_xml("協働の仕組みづくり", span=4)],
        [tc_xml("2"), tc_xml("協働事業提案制度の運用"), tc_xml("市民活動推進課"), tc_xml("拡充")],
    ], 4)
    doc = ingest_file(write_docx_xml(tmp_path / "帯.docx", body), use_cache=False)
    assert [(i.name, i.path, i.tags) for i in doc.items] == [
        ("市民活動入門講座の開催", ("市民活動の裾野の拡大",), ("継続",)),
        ("協働事業提案制度の運用", ("協働の仕組みづくり",), ("拡充",))]


def test_title_styles_moves_cell_bullets_and_symbol_codes(tmp_path: Path) -> None:
    """表題 / 副題 carry an outline level in the Japanese templates but are no headings; a paragraph moved
    away is not counted; a bullet in a table cell is no mark; a Wingdings bullet stored as its ASCII
    code (§, as Word's own bullet lists and old .doc files keep it) is the mark it draws."""
    styles = ('<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:pPr><w:outlineLvl w:val="0"/>'
              '</w:pPr></w:style><w:style w:type="paragraph" w:styleId="a5"><w:name w:val="Subtitle"/><w:pPr>'
              '<w:outlineLvl w:val="1"/></w:pPr></w:style>')
    numbering = NUMBERING.replace("</w:numbering>", '<w:abstractNum w:abstractNumId="9">' + _lvl(
        0, "bullet", "§", '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings" w:hint="default"/></w:rPr>')
        + '</w:abstractNum><w:num w:numId="9"><w:abstractNumId w:val="9"/></w:num></w:numbering>')
    moved = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr><w:rPr><w:moveFrom w:id="5" '
             'w:author="a"/></w:rPr></w:pPr><w:moveFrom w:id="6" w:author="a"><w:r><w:t>移した取組</w:t></w:r>'
             '</w:moveFrom></w:p>')
    body = "".join((styled("第2次市民協働推進計画", "a3"), styled("令和6年度版", "a5"), numbered("出前講座", 1, 2), moved,
                    numbered("事例集の発行", 1, 2), numbered("協働の取組の一覧", 9, 0),
                    tbl_xml([[tc_xml("取組"), tc_xml("内容")],
                             [tc_xml("交流会"), tc_xml(inner=numbered("年2回開きます。", 2, 0))]], 2)))
    path = _write(tmp_path / "表題.docx", body, styles=True)
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/styles.xml").decode("utf-8")
    patch_docx(path, {"word/styles.xml": xml.replace("</w:styles>", styles + "</w:styles>").encode("utf-8"),
                      "word/numbering.xml": numbering.encode("utf-8")})
    blocks = read_blocks(path)[0]
    assert [(b.text, b.level) for b in blocks[:5]] == [
        ("第2次市民協働推進計画", None), ("令和6年度版", None), ("① 出前講座", None), ("② 事例集の発行", None),
        ("■ 協働の取組の一覧", None)]
    assert blocks[6].cells == ("交流会", "年2回開きます。")
