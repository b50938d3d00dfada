"""Headings of a plan's outline as offices write them (found by building real plans' layouts and reading
them as a planner would):

- a heading that only holds a word of a section that has no measures (地域課題の解決, 協働の推進体制の整備,
  テーマ型市民活動の支援, 基本方針1 住民自治の強化) is a heading over measures; before, any heading holding
  課題, 体制, テーマ, 理念, 策定, 進め方 or 基本方針 dropped every numbered measure under it (第2期長浜市市民
  協働推進計画's pillars gave no measure at all). A heading that ends with such a word (計画の目的, 現状と課題,
  計画の推進体制) still opens a section of no measures;
- front matter in Word's 見出し 1 (はじめに, 計画策定にあたって, 市長あいさつ) is closed by the next 見出し 1
  even when that one is numbered (第1章 計画の概要): before, it stayed above every chapter, so numbered
  measures were lost and measures in tables had はじめに for their policy.

The pillars are 長浜市's and the layout 府中市's; the sentences are our own."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import ingest_file
from pipeline.ingest.structure.outline import non_measure_section
from tests.docmaker import libreoffice_pdf

OUTLINE = [
    ("基本方針1　住民自治の強化", [
        ("(1)　地域づくり協議会の活動支援", [
            ("①　地域活力プランナーの配置【継続】（市民活躍課）", "協議会の運営を支える専門の人材を各地域に置きます。"),
            ("②　一括交付金の交付【拡充】（市民活躍課）", "協議会が地域の判断で使える交付金を交付します。")]),
        ("(2)　地域課題の解決に向けた話し合いの場づくり", [
            ("①　地域円卓会議の開催【新規】（市民活躍課）", "住民と関係団体が地域の課題を話し合う場を設けます。")])]),
    ("基本方針2　協働のしくみづくり", [
        ("(1)　協働の推進体制の整備", [
            ("①　市民活動センターの運営【継続】（市民活躍課）", "相談や交流の拠点としてセンターを運営します。"),
            ("②　庁内協働推進員の設置【新規】（市民活躍課）", "各課に協働の窓口となる職員を置きます。")]),
        ("(2)　テーマ型市民活動の支援", [
            ("①　まちづくり塾の開催【継続】（生涯学習文化課）", "地域活動の担い手を育てる連続講座を開きます。")])]),
]
NAMES = ["地域活力プランナーの配置", "一括交付金の交付", "地域円卓会議の開催", "市民活動センターの運営",
         "庁内協働推進員の設置", "まちづくり塾の開催"]


def _plan(path: Path, front: str = "はじめに") -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("第2期長浜市市民協働推進計画")
    document.add_heading(front, 1)
    document.add_paragraph("協働によるまちづくりを進めるため、この計画をつくりました。")
    document.add_heading("第1章　計画の概要", 1)
    document.add_heading("1　計画の目的", 2)
    document.add_paragraph("①　市民と市が地域の課題を共有すること")  # (a numbered line of no measure)
    document.add_heading("第2章　施策の展開", 1)
    for pillar, policies in OUTLINE:
        document.add_heading(pillar, 2)
        for policy, measures in policies:
            document.add_heading(policy, 3)
            for name, text in measures:
                document.add_paragraph(name)
                document.add_paragraph("　" + text)
    document.save(path)
    return path


@pytest.mark.parametrize("front", ["はじめに", "計画策定にあたって", "市長あいさつ"])
def test_measures_under_headings_that_hold_a_section_word_are_read(tmp_path: Path, front: str) -> None:
    doc = ingest_file(_plan(tmp_path / "計画.docx", front), use_cache=False)
    assert [i.name for i in doc.items] == NAMES
    first = doc.items[0]
    assert (first.policy, first.departments, first.tags) == ("基本方針1 住民自治の強化", ("市民活躍課",), ("継続",))
    assert doc.items[2].path[-1] == "(2) 地域課題の解決に向けた話し合いの場づくり"
    assert all(front not in i.path for i in doc.items)


def test_the_pdf_of_the_plan_reads_the_same_measures(tmp_path: Path) -> None:
    from_pdf = ingest_file(libreoffice_pdf(_plan(tmp_path / "計画.docx")), use_cache=False).items
    assert [i.name for i in from_pdf] == NAMES
    # the headings' full-width spaces (第2章　施策の展開) are kept, as the .docx reads them
    assert [i.path for i in from_pdf] == [i.path for i in ingest_file(tmp_path / "計画.docx", use_cache=False).items]
    assert from_pdf[0].path[0] == "第2章 施策の展開"


def test_a_space_a_character_wide_is_kept_and_letter_spacing_is_not() -> None:
    from pipeline.ingest.pdf import _tabbed_text
    from pipeline.text.normalize import clean

    def line(*words: str, gap: float) -> dict:
        chars, x = [], 0.0
        for w in words:
            for ch in w:
                chars.append({"text": ch, "x0": x, "x1": x + 10.0, "size": 10.0})
                x += 10.0
            x += gap
        return {"text": " ".join(words), "chars": chars}

    assert clean(_tabbed_text(line("第4章", "具体的な取組", gap=10.0)), cjk_spaces=True) == "第4章 具体的な取組"
    assert clean(_tabbed_text(line("第4章", "具体的な取組", gap=4.0)), cjk_spaces=True) == "第4章具体的な取組"
    assert clean(_tabbed_text(line(*"予算説明書", gap=10.0)), cjk_spaces=True) == "予算説明書"  # spaced out


@pytest.mark.parametrize(("heading", "none"), [
    ("1 計画策定の趣旨", True), ("計画の目的", True), ("市民協働の現状と課題", True), ("第5章 計画の推進体制", True),
    ("計画の期間", True), ("計画の基本方針", True), ("用語の解説", True), ("計画策定にあたって", True),
    ("地域課題の解決", False), ("(1) 協働の推進体制の整備", False), ("テーマ型市民活動の支援", False),
    ("基本方針1 住民自治の強化", False), ("協働の理念の普及・啓発", False), ("協働指針の策定と運用", False),
    ("協働の進め方の共有", False), ("市長あいさつ", True), ("基本目標1 あいさつと見守りのある地域づくり", False),
    # a numbered policy of the plan's own holds measures whatever its title ends with
    ("施策3 推進体制", False), ("施策3　協働の推進体制", False), ("基本目標4 協働を支える体制", False),
    # a plan's list of its indicators (浦安市's 数値指標一覧), not a measure over the indicators
    ("4.取り組み事項を点検するための「数値指標一覧」", True), ("第5章 成果指標", True), ("(2) 成果指標の公表", False),
])
def test_which_headings_open_a_section_of_no_measures(heading: str, none: bool) -> None:
    assert non_measure_section(heading) is none


def test_a_department_line_and_points_under_a_numbered_measure(tmp_path: Path) -> None:
    """札幌市's 取組 as a plan lists them: ① a measure, its sentence, ・ points, then 【担当課】 (or 担当課：,
    〔担当〕 …) on a line of its own. The line is the measure's department, not its content, and the
    points are its content: before, the points took its place as two measures, and ② beside it, with
    no points, was lost."""
    import docx

    document = docx.Document()
    document.add_paragraph("札幌市市民活動促進 令和6年度の取組")
    document.add_heading("施策1 市民活動への支援", 1)
    document.add_heading("(1) 意識の醸成", 2)
    for line in ("① 市民活動フォーラムの開催", "市民活動の魅力を伝えるフォーラムを年1回開きます。", "・講演とパネル討論",
                 "・活動団体の展示", "【担当課】市民自治推進室",
                 "② 出前講座の実施", "町内会や学校に職員が出向き、市民活動について話します。", "〔担当〕市民自治推進室、広報課",
                 "③ 市民活動ポータルサイトの運営", "団体の情報やイベントを一つのサイトで紹介します。", "担当課：広報課"):
        document.add_paragraph(line)
    document.save(tmp_path / "取組.docx")
    items = ingest_file(tmp_path / "取組.docx", use_cache=False).items
    assert [(i.name, i.departments) for i in items] == [
        ("市民活動フォーラムの開催", ("市民自治推進室",)), ("出前講座の実施", ("市民自治推進室", "広報課")),
        ("市民活動ポータルサイトの運営", ("広報課",))]
    assert "講演とパネル討論" in items[0].content and "活動団体の展示" in items[0].content
    assert all("担当" not in i.content for i in items)


def test_a_labelled_department_in_brackets_after_the_name(tmp_path: Path) -> None:
    """・市民協働フォーラムの開催（担当課：市民協働課）: the department is 市民協働課; before, its label
    came with it (担当課:市民協働課), and the 進行管理シート showed that as the department's name."""
    plan = tmp_path / "計画.txt"
    plan.write_text("第1章 市民協働の推進\n1 市民意識の醸成\n・市民協働フォーラムの開催（担当課：市民協働課）\n"
                    "・協働事例集の発行（所管：市民活動推進課、広報課）\n・まちづくり出前講座の実施（生涯学習課）\n", "utf-8")
    items = ingest_file(plan, use_cache=False).items
    assert [(i.name, i.departments) for i in items] == [
        ("市民協働フォーラムの開催", ("市民協働課",)), ("協働事例集の発行", ("市民活動推進課", "広報課")),
        ("まちづくり出前講座の実施", ("生涯学習課",))]


def test_the_front_chapters_numbered_sections_are_no_measures(tmp_path: Path) -> None:
    """第1章 計画の基本的な考え方 with 1 計画策定の趣旨 and 2 計画期間, each a paragraph, before the measures (浦安市's
    市民参加推進計画 has its chapters so): before, the two sections were read as the plan's first measures."""
    lines = ["第2期市民参加推進計画", "第1章 計画の基本的な考え方", "1 計画策定の趣旨", "市民参加をさらに進めるため、この計画を定めます。",
             "2 計画期間", "令和5年度から令和9年度までの5年間とします。", "第2章 基本方針と施策",
             "基本方針1 協働のまちを支えるひとづくり", "(1) 協働を支える人材の育成", "① 若者の人材育成",
             "学生が地域の活動に加わる機会をつくります。", "② ワークライフバランスの推進", "働く世代が地域に関われるよう支えます。"]
    path = tmp_path / "計画.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    items = ingest_file(path, use_cache=False).items
    assert [i.name for i in items] == ["若者の人材育成", "ワークライフバランスの推進"]
    assert items[0].content == "学生が地域の活動に加わる機会をつくります。"


def test_a_survey_table_in_the_appendix_gives_no_measures(tmp_path: Path) -> None:
    """資料編's 市民アンケート結果 (問1 … and a 選択肢 | 回答数 | 割合 table) after the measure table (茅ヶ崎市's
    協働推進事業 as printed): before, its rows were read as more rows of the measure table, a measure
    named 回答数 among them."""
    import docx

    document = docx.Document()
    document.add_paragraph("協働推進計画")
    document.add_paragraph("施策1　協働の仕組みづくり")
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate([["No.", "事業名", "事業内容", "担当課"],
                             ["1", "行政提案型協働推進事業", "市が示す課題に団体の提案を受けて協働で取り組む。", "市民自治推進課"],
                             ["2", "市民提案型協働推進事業", "団体が自ら見つけた課題の提案を受けて協働で取り組む。", "市民自治推進課"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for line in ("資料編", "4　市民アンケート結果（抜粋）", "問1　あなたは市民活動に参加したことがありますか。"):
        document.add_paragraph(line)
    survey = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["選択肢", "回答数", "割合"], ["参加したことがある", "312", "28.4%"], ["関心がない", "385", "35.1%"]]):
        for c, text in enumerate(row):
            survey.cell(r, c).text = text
    document.save(tmp_path / "計画.docx")
    items = ingest_file(tmp_path / "計画.docx", use_cache=False).items
    assert [i.name for i in items] == ["行政提案型協働推進事業", "市民提案型協働推進事業"]


@pytest.mark.parametrize("label", ["", "取組1　"])
def test_word_headings_with_their_own_department_are_measures(tmp_path: Path, label: str) -> None:
    """A plan in Word's heading styles alone (見出し1 基本方針, 見出し2 施策, 見出し3 取組 with a sentence and a
    担当課：… line under it, as 城陽市's 指針 is laid out), unnumbered or numbered 取組1: before, no measure
    was read and the document was judged no plan. The names are 郡山市's as printed."""
    import docx

    document = docx.Document()
    document.add_heading("協働のまちを支えるひとづくり", level=1)
    document.add_heading("協働を支える人材の育成と協働意識の醸成", level=2)
    for n, (name, what, dept) in enumerate([("若者の人材育成", "地域行事の運営に若者が加わるきっかけをつくります。", "市民・NPO活動推進課"),
                                            ("ワークライフバランスの推進", "働く世代が地域活動に参加しやすい環境を整えます。", "産業雇用政策課")],
                                           start=1):
        document.add_heading(label.replace("1", str(n)) + name, level=3)
        document.add_paragraph(what)
        document.add_paragraph(f"担当課：{dept}")
    document.save(tmp_path / "指針.docx")
    doc = ingest_file(tmp_path / "指針.docx", use_cache=False)
    assert doc.plan_like
    assert [(i.name, i.departments, i.path) for i in doc.items] == [
        ("若者の人材育成", ("市民・NPO活動推進課",), ("協働のまちを支えるひとづくり", "協働を支える人材の育成と協働意識の醸成")),
        ("ワークライフバランスの推進", ("産業雇用政策課",), ("協働のまちを支えるひとづくり", "協働を支える人材の育成と協働意識の醸成"))]
    assert doc.items[0].content == "地域行事の運営に若者が加わるきっかけをつくります。"


def test_a_measure_numbered_by_its_word_in_text() -> None:
    from pipeline.ingest.structure.outline import numbering

    found = numbering("取組1　若者の人材育成")
    assert found is not None and (found.number, found.text) == ("取組1", "若者の人材育成")
    assert numbering("事業1件を実施") is None  # (a count, not a number of its own)


def test_departments_printed_in_other_brackets_or_after_the_sentence(tmp_path: Path) -> None:
    """The ways plans print a measure's department besides （課）: 〔地域支援課〕 or 【担当：地域支援課】 after its name,
    （担当課：市民協働課） at the end of its sentence. Before, only （地域支援課） was read; the others stayed in the
    name or the content. The names are 郡山市's and 菊川市's as printed."""
    lines = ["協働のまちづくり推進計画", "基本方針1 協働のまちを支えるひとづくり",
             "① 若者の人材育成", "地域行事の運営に若者が加わるきっかけをつくります。（担当課：市民協働課）",
             "② 市民協働センターの機能拡充　〔地域支援課〕", "相談や交流の機能を高めます。",
             "③ 提案型協働事業交付金の検討　【担当：地域支援課】", "団体の提案による事業を支える仕組みを検討します。",
             "④ コミュニティセンター等の利用促進（地域支援課）", "地域の集いの場としての利用を広げます。"]
    path = tmp_path / "計画.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    items = ingest_file(path, use_cache=False).items
    assert [(i.name, i.departments) for i in items] == [
        ("若者の人材育成", ("市民協働課",)), ("市民協働センターの機能拡充", ("地域支援課",)),
        ("提案型協働事業交付金の検討", ("地域支援課",)), ("コミュニティセンター等の利用促進", ("地域支援課",))]
    assert items[0].content == "地域行事の運営に若者が加わるきっかけをつくります。"
