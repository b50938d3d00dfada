"""XLSX reader: a progress sheet gives the plan's items; merged ranges, values and sheets."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docmaker import fields, plan_from_text, write_progress_xlsx

from pipeline.ingest import ingest_file, read_blocks
from pipeline.ingest.xlsx import cell_text


@pytest.fixture(scope="session")
def progress_sheet(tsushima_txt: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "progress.xlsx"
    return write_progress_xlsx(plan_from_text(tsushima_txt), path)


def test_progress_sheet_gives_the_items_of_the_text(progress_sheet: Path, tsushima_txt: Path) -> None:
    """施策 | 取組方針 | 項目 | 内容 | 担当課 | 進捗状況, 施策 and 取組方針 merged down over their items."""
    text_doc = ingest_file(tsushima_txt, use_cache=False)
    doc = ingest_file(progress_sheet, use_cache=False)
    assert [fields(i) for i in doc.items] == [fields(i) for i in text_doc.items]
    assert doc.fiscal_year is not None and doc.fiscal_year.year == 2009
    assert doc.format == "xlsx" and doc.pages is None
    assert [(i.source.table, i.source.row) for i in doc.items[:2]] == [(1, 4), (1, 5)]


def test_merged_ranges_give_none_below_their_first_cell(progress_sheet: Path) -> None:
    blocks, _, _, _ = read_blocks(progress_sheet)
    sheet, title, header, first, second = blocks[:5]
    assert sheet.level == 0 and sheet.text == "" and sheet.source.table == 1  # the sheet starts; its name is no heading
    assert not title.is_row and title.text.endswith("進捗状況") and title.source.row == 1
    assert header.cells == ("施策", "取組方針", "項目", "内容", "担当課", "進捗状況")
    assert first.cells[0] == "施策1 協働(共働)の意識を高める！！"
    assert second.cells[:2] == (None, None)
    assert second.cells[4] == "地域再生推進本部\n関係各部"


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (None, "General", ""),
        ("◎ 自治会", "General", "◎ 自治会"),
        (3, "General", "3"),
        (3.0, "General", "3"),
        (2.5, "General", "2.5"),
        (0.25, "0%", "25%"),
        (True, "General", "TRUE"),
        (dt.datetime(2009, 4, 1), "yyyy/m/d", "2009-04-01"),
        (dt.datetime(2009, 4, 1, 9, 30), "yyyy/m/d h:mm", "2009-04-01 09:30:00"),
        (dt.date(2010, 3, 31), "yyyy/m/d", "2010-03-31"),
        # formats that write words show as Excel shows them
        (6, '"令和"0"年度"', "令和6年度"),
        (2024, '0"年度"', "2024年度"),
        (1200, '#,##0"円"', "1,200円"),
        (dt.datetime(2024, 11, 1), '[$-ja-JP-x-gannen]ggge"年"m"月"', "令和6年11月"),
        (dt.datetime(2019, 6, 1), '[$-ja-JP-x-gannen]ggge"年"m"月"d"日"', "令和元年6月1日"),
        (dt.datetime(2019, 4, 1), 'ggge"年"m"月"', "平成31年4月"),
        (dt.datetime(2025, 2, 1), 'yyyy"年"m"月"', "2025年2月"),
        (dt.datetime(2025, 2, 1), "General", "2025-02-01"),
        ("#N/A", "General", ""),
        (1234567, '#,##0,"千円"', "1,235千円"),  # a trailing comma: in thousands
        (0.125, '0.0%"増"', "12.5%増"),
        (2.25, '0.0"%"', "2.3%"),  # halves up, as Excel rounds
        (-3, '0"件";"△"0"件"', "△3件"),  # the negative section
        (0, '0"件";-0"件";"－"', "－"),  # the zero section
        (7, '0"人"_)', "7人"),  # _) only keeps a width
        (dt.datetime(2024, 4, 1), 'm"月"d"日"(aaa)', "4月1日(月)"),
        ("市民活動推進課_x000D_\nの講座", "General", "市民活動推進課\nの講座"),
    ],
)
def test_cell_text(value: object, number_format: str, expected: str) -> None:
    assert cell_text(value, number_format) == expected


def test_sheets_are_tables_and_hidden_sheets_are_skipped(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "令和2年度"
    first.append(["項目", "内容", "担当課"])
    first.append(["◎ 研修", "研修を行います。", "総務課"])
    hidden = wb.create_sheet("lists")
    hidden.append(["項目", "内容", "担当課"])
    hidden.append(["● 古い項目", "古い内容", "総務課"])
    hidden.sheet_state = "hidden"
    third = wb.create_sheet("令和3年度")
    third.append(["令和3年度 進捗"])
    third.append([None, "項目", "内容", "担当課", "進捗状況"])
    third.append([1, "● 広報", "広報に掲載します。", "広報課", 0.5])
    third["E3"].number_format = "0%"
    wb.save(tmp_path / "sheets.xlsx")
    doc = ingest_file(tmp_path / "sheets.xlsx", use_cache=False)
    assert [(i.name, i.actor, i.departments, i.source.table, i.source.row) for i in doc.items] == [
        ("研修", "both", ("総務課",), 1, 2),
        ("広報", "city", ("広報課",), 3, 3),
    ]
