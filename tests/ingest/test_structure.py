"""Structure rules on text plans: the shipped Tsushima plan and small layouts built in the tests."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.ingest import ingest_file, ingest_paths
from pipeline.ingest.structure import extract_tags


def write(tmp_path: Path, text: str, name: str = "plan.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_tsushima_plan_items(tsushima_txt: Path) -> None:
    doc = ingest_file(tsushima_txt, use_cache=False)
    assert len(doc.items) == 38
    assert doc.city == "対馬市"
    assert doc.fiscal_year is not None and doc.fiscal_year.year == 2009 and doc.fiscal_year.label == "平成21年度"
    assert Counter(i.actor for i in doc.items) == {"both": 26, "city": 12}
    tags = Counter(t for i in doc.items for t in i.tags)
    assert (tags["新規"], tags["継続"], tags["随時"], tags["再掲"]) == (11, 3, 2, 1)
    first, last = doc.items[0], doc.items[-1]
    assert first.name == "自治会、地域で" and first.departments == ("地域再生推進本部", "関係各部")
    assert first.policy.startswith("施策1") and first.measure.startswith("多様な機会")
    assert "(随時)" not in first.content and first.content.endswith("説明会を開催します。")
    assert last.policy.startswith("施策5") and last.name == "協働(共働)に関する事務事業評価手法の検討"
    assert [i.policy.split()[0] for i in doc.items].count("施策3") == 14
    # document order follows the source lines
    lines = [i.source.line for i in doc.items]
    assert lines == sorted(lines)
    assert all(i.source.table and i.source.row and i.source.row > 1 for i in doc.items)
    assert len({i.id for i in doc.items}) == 38


def test_policy_title_on_same_line_with_bold_markers(tsushima_txt: Path) -> None:
    doc = ingest_file(tsushima_txt, use_cache=False)
    policies = list(dict.fromkeys(i.policy for i in doc.items))
    assert policies[2] == "施策3 市民活動を活性化する!!"
    assert policies[0] == "施策1 協働(共働)の意識を高める!!"  # title on the next line


LAYOUT_HEADER = "施策1\n意識を高める\n■出前講座を開きます〈新規〉\n"


@pytest.mark.parametrize(
    "table",
    [
        # mark in the item's cell
        "項目\t内容\t関係部署\n◎ 出前講座\t地域へ出向いて説明します。\t協働推進課 関係各課\n",
        # mark in its own column, header without a column for it
        "項目\t内容\t関係部署\t\n◎\t出前講座\t地域へ出向いて説明します。\t協働推進課 関係各課\n",
        # mark column named in the header, other column order
        "関係部署\t内容\t項目\t主体\n協働推進課、関係各課\t地域へ出向いて説明します。\t出前講座\t◎\n",
        # header spanning mark and name, blank second header cell
        "項 目\t\tアクションプランの内容\t関係部署\n◎\t出前講座\t地域へ出向いて説明します。\t協働推進課 関係各課\n",
        # Markdown table
        "| 項目 | 内容 | 担当課 |\n|---|---|---|\n| ◎ 出前講座 | 地域へ出向いて説明します。 | 協働推進課・関係各課 |\n",
    ],
)
def test_layouts_give_the_same_item(tmp_path: Path, table: str) -> None:
    doc = ingest_file(write(tmp_path, LAYOUT_HEADER + table), use_cache=False)
    assert len(doc.items) == 1
    item = doc.items[0]
    assert (item.name, item.content, item.departments, item.actor) == (
        "出前講座", "地域へ出向いて説明します。", ("協働推進課", "関係各課"), "both")
    assert item.tags == ("新規",)  # from the measure heading
    assert item.policy == "施策1 意識を高める"


@pytest.mark.parametrize(
    ("text", "rest", "tags"),
    [
        ("事例集の作成〈新規〉", "事例集の作成", ["新規"]),
        ("事例集の作成《新規》", "事例集の作成", ["新規"]),
        ("事例集の作成<<新規>>", "事例集の作成", ["新規"]),
        ("事例集の作成<新規>", "事例集の作成", ["新規"]),
        ("説明会を開催します。(随時)", "説明会を開催します。", ["随時"]),
        ("マニュアルの作成(再掲)", "マニュアルの作成", ["再掲"]),
        ("見直し【継続】", "見直し", ["継続"]),
        ("研究します(新規・検討)", "研究します", ["新規", "検討"]),
        ("ルールづくり(指定管理者制度等)", "ルールづくり(指定管理者制度等)", []),
        ("導入を検討します。", "導入を検討します。", []),  # an unbracketed word is not a tag
    ],
)
def test_extract_tags(text: str, rest: str, tags: list[str]) -> None:
    assert extract_tags(text) == (rest, tags)


def test_full_width_tag_brackets_in_a_file(tmp_path: Path) -> None:
    text = "■情報を開示します。＜新規＞\n項目\t内容\t関係部署\n◎ 広報誌\t提供します。（継続）\t広報課\n"
    item = ingest_file(write(tmp_path, text), use_cache=False).items[0]
    assert item.tags == ("新規", "継続") and item.content == "提供します。"



def test_a_marked_measure_line_keeps_its_tag(tmp_path: Path) -> None:
    """■名前【継続】（課） with its content under it, and nothing numbered under it: a measure with its 区分."""
    path = tmp_path / "plan.txt"
    path.write_text("令和6年度 市民協働推進行動計画\n1 市民の協働に対する意識の醸成\n"
                    "■市民協働推進シンポジウムの開催【継続】（市民活動支援課）\n協働の考え方を知ってもらう催しを開きます。\n"
                    "■協働に関するミニシンポジウムの開催【新規】（市民活動支援課）\n少人数の対話の場を設けます。\n", "utf-8")
    doc = ingest_file(path, use_cache=False)
    assert [(i.name, i.tags, i.departments) for i in doc.items] == [
        ("市民協働推進シンポジウムの開催", ("継続",), ("市民活動支援課",)),
        ("協働に関するミニシンポジウムの開催", ("新規",), ("市民活動支援課",))]

@pytest.mark.parametrize("encoding", ["cp932", "shift_jis", "utf-8-sig", "utf-8", "utf-16"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = "令和2年度 小牧市市民協働アクションプラン\n■広報を充実します\n項目\t内容\t担当課\n● 広報紙\t毎月掲載します。\t広報課\n"
    doc = ingest_file(write(tmp_path, text, encoding=encoding), use_cache=False)
    assert doc.fiscal_year is not None and doc.fiscal_year.year == 2020
    assert doc.city == "小牧市"
    assert [(i.name, i.actor, i.departments) for i in doc.items] == [("広報紙", "city", ("広報課",))]


def test_provenance_line_table_row(tmp_path: Path) -> None:
    text = "■見出し\n項目\t内容\t関係部署\n◎ 一\t内容一\t甲課\n● 二\t内容二\t乙課\n\n■次\n項目\t内容\t関係部署\n★ 三\t内容三\t丙課\n"
    items = ingest_file(write(tmp_path, text), use_cache=False).items
    assert [(i.source.line, i.source.table, i.source.row) for i in items] == [(3, 1, 2), (4, 1, 3), (8, 2, 2)]
    assert items[2].actor == "citizens"
    assert all(i.source.path.endswith("plan.txt") and len(i.source.sha256) == 64 for i in items)


def test_bad_text_files_are_reported_and_the_rest_parsed(tmp_path: Path, tsushima_txt: Path) -> None:
    empty = write(tmp_path, "", "empty.txt")
    blank = write(tmp_path, "  \n\n", "blank.md")
    binary = tmp_path / "garbage.txt"
    binary.write_bytes(bytes(range(128, 256)) * 4)
    odd = write(tmp_path, "x", "plan.xyz")
    docs, errors = ingest_paths([empty, blank, binary, odd, tsushima_txt, tmp_path / "missing.txt"], use_cache=False)
    assert [len(d.items) for d in docs] == [38]
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["blank.md"]
    assert "encoding" in reasons["garbage.txt"]
    assert "unsupported" in reasons["plan.xyz"]
    assert "no such file" in reasons["missing.txt"]


def test_cache_reuses_parse_and_follows_content(tmp_path: Path) -> None:
    path = write(tmp_path, "■見出し\n項目\t内容\t関係部署\n◎ 一\t内容一\t甲課\n")
    first = ingest_file(path)
    copy = write(tmp_path, path.read_text("utf-8"), "copy.txt")
    again = ingest_file(copy)  # same content under another name: from the cache, relocated
    assert again.items[0].source.path == str(copy) and again.items[0].name == "一"
    path.write_text("■見出し\n項目\t内容\t関係部署\n◎ 二\t内容二\t乙課\n", "utf-8")
    changed = ingest_file(path)
    assert changed.items[0].name == "二" and changed.sha256 != first.sha256


def test_the_lines_of_a_table_of_contents_are_no_headings(tmp_path: Path) -> None:
    """目次 lines with dot leaders (as a PDF of Word's table of contents reads) neither become measures nor
    the path of the first measure; the headings count where they stand."""
    path = tmp_path / "plan.txt"
    path.write_text("令和6年度 市民協働推進行動計画\n目次\n第1章 計画の概要.......................1\n"
                    "第2章 具体的な施策......................2\n1 市民の協働に対する意識の醸成…………2\n"
                    "(1) 啓発活動の推進・・・・・・・・・・・・3\n第1章 計画の概要\n計画の目的を述べます。\n"
                    "第2章 具体的な施策\n1 市民の協働に対する意識の醸成\n(1) 啓発活動の推進\n"
                    "①市民協働推進シンポジウムの開催（市民活動支援課）\n②協働事例集の作成（広報課）\n", "utf-8")
    doc = ingest_file(path, use_cache=False)
    assert [i.name for i in doc.items] == ["市民協働推進シンポジウムの開催", "協働事例集の作成"]
    assert doc.items[0].path == ("第2章 具体的な施策", "1 市民の協働に対する意識の醸成", "(1) 啓発活動の推進")


@pytest.mark.parametrize("period, label, year", [("令和6年度から令和10年度まで", "令和6年度", 2024),
                                                 ("平成31年度～令和5年度", "令和元年度", 2019),
                                                 ("令和2～6年度", "令和2年度", 2020)])
def test_a_plan_period_gives_its_first_fiscal_year_labelled_alone(tmp_path: Path, period: str, label: str,
                                                                   year: int) -> None:
    """The plan's fiscal year is the period's first year, labelled as that year (its 進行管理シート and the
    library show 令和6年度), while the period stays as printed; before, the label was the whole period."""
    doc = ingest_file(write(tmp_path, f"第2次市民協働推進計画\n計画期間　{period}\n第1章 施策\n1 意識の醸成\n"
                                      "・市民協働フォーラムの開催（市民協働課）\n・協働事例集の発行（市民協働課）\n"),
                      use_cache=False)
    assert doc.fiscal_year is not None and (doc.fiscal_year.label, doc.fiscal_year.year) == (label, year)
    assert doc.period == period.removesuffix("まで")


@pytest.mark.parametrize("cell, departments", [
    ("市民・NPO活動推進課", ["市民・NPO活動推進課"]),  # one section whose name holds ・
    ("市民協働課・企画課", ["市民協働課", "企画課"]),
    ("市民協働課・企画課、広報課", ["市民協働課", "企画課", "広報課"]),
    ("担当課：市民・NPO活動推進課", ["市民・NPO活動推進課"]),
])
def test_departments_split_at_a_dot_only_after_a_departments_name(cell: str, departments: list[str]) -> None:
    from pipeline.ingest.structure import split_departments

    assert split_departments(cell) == departments
