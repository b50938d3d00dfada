"""Columns of real measure tables read by what they hold (found by building the Excel layouts of real
plans): a 合計 row, a 主な取組 column beside the project's name, a 施策評価表's 施策名 | 施策の概要 | 施策統括課.
Names as printed by 加古川市 and 沼津市; contents in our own words."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from pipeline.ingest import ingest_file


def _book(tmp_path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "計画.xlsx")
    return tmp_path / "計画.xlsx"


def test_a_totals_row_belongs_to_no_measure(tmp_path: Path) -> None:
    """合計 | | | | 11,500 | …: before, its totals filled the last measure's empty year (テーマ設定型 starts in 令和7年度)."""
    path = _book(tmp_path, [["協働のまちづくり推進 実施計画（単位：千円）"],
                            ["施策", "事業名", "担当課", "区分", "令和6年度", "令和7年度", "令和8年度"],
                            ["協働の担い手づくり", "協働のまちづくり推進事業（地域協働型）", "協働推進課", "継続", 9000, 9000, 9000],
                            [None, "協働のまちづくり推進事業（テーマ設定型）", "協働推進課", "新規", None, 1500, 1500],
                            ["合計", None, None, None, 9000, 10500, 10500]])
    items = ingest_file(path, use_cache=False).items
    assert [i.name for i in items] == ["協働のまちづくり推進事業（地域協働型）", "協働のまちづくり推進事業（テーマ設定型）"]
    assert "令和6年度" not in items[1].schedule and items[1].schedule.get("令和7年度") == "1500"


def test_the_main_work_beside_a_projects_name_is_its_content(tmp_path: Path) -> None:
    """プロジェクト名 | 主な取組 | 担当課 (沼津市's 市民協働重点プロジェクト): both words name a measure, and the
    主な取組 was dropped."""
    path = _book(tmp_path, [["市民協働重点プロジェクト 年次計画"], ["プロジェクト名", "主な取組", "担当課", "R6", "R7"],
                            ["ぬまづ自然再発見プロジェクト", "自然観察会を市民団体と開く。", "環境政策課", "●", "→"],
                            ["ストップ地球温暖化プロジェクト", "省エネの工夫を家庭に広める。", "環境政策課", "○", "●"]])
    items = ingest_file(path, use_cache=False).items
    assert [(i.name, i.content) for i in items] == [("ぬまづ自然再発見プロジェクト", "自然観察会を市民団体と開く。"),
                                                    ("ストップ地球温暖化プロジェクト", "省エネの工夫を家庭に広める。")]


def test_a_policy_evaluation_table_names_its_policies(tmp_path: Path) -> None:
    """施策名 | 施策の概要 | 施策統括課: before, the 概要 was the name and 施策名 and the 課 the path."""
    path = _book(tmp_path, [["施策評価表 一覧"], ["施策名", "施策の概要", "施策統括課"],
                            ["協働と市民活動の推進", "市民と行政が対話しながら市民活動を広げる。", "協働推進課"],
                            ["地域コミュニティの活性化", "自治会の加入と活動を支える。", "自治振興課"]])
    items = ingest_file(path, use_cache=False).items
    assert [(i.name, i.content, i.departments, i.path) for i in items] == [
        ("協働と市民活動の推進", "市民と行政が対話しながら市民活動を広げる。", ("協働推進課",), ()),
        ("地域コミュニティの活性化", "自治会の加入と活動を支える。", ("自治振興課",), ())]
