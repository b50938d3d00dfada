"""A narrow list of measures (事業名 | 担当課, 取組名 | 担当課 | 区分) whose names end with a column's word, as most
do (…事業, …プロジェクト: 加古川市's 協働のまちづくり推進事業, 沼津市's ごみニャーぬまづプロジェクト). Before, such a
row was taken for a second header row, or the two-column list for a label | value sheet, so measures were
lost and 担当課 and the departments were read as measures. Generic names fill the other rows."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.ingest import ingest_file
from pipeline.model import Item


def _read(path: Path, title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> tuple[Item, ...]:
    """The items of a one-sheet workbook: a title row, the header, the rows."""
    wb = Workbook()
    ws = wb.active
    for row in ([title], header, *rows):
        ws.append(list(row))
    wb.save(path)
    return ingest_file(path, use_cache=False).items


@pytest.mark.parametrize(("header", "rows"), [
    (("事業名", "担当課"), [("市民活動支援事業", "協働推進課"), ("協働のまちづくり推進事業", "協働推進課"),
                         ("地域づくり支援事業", "地域振興課")]),
    (("事業名", "担当課", "区分"), [("市民活動フェスタ", "協働推進課", "継続"), ("地域づくり支援事業", "地域振興課", "新規"),
                                 ("地域防災訓練", "防災課", "継続")]),
    (("取組名", "担当課"), [("市民活動フェスタ", "協働推進課"), ("協働事業提案制度", "協働推進課"),
                         ("ごみニャーぬまづプロジェクト", "まちづくり指導課")]),
])
def test_names_ending_in_a_column_word_are_measures(tmp_path: Path, header: tuple[str, ...],
                                                     rows: list[tuple[str, ...]]) -> None:
    items = _read(tmp_path / "事業一覧.xlsx", "市民協働推進事業一覧", header, rows)
    assert [(i.name, i.departments) for i in items] == [(r[0], (r[1],)) for r in rows]
    if "区分" in header:
        assert [i.tags for i in items] == [(r[2],) for r in rows]


@pytest.mark.parametrize(("header", "rows", "marks"), [
    # a matrix of who acts beside the measure's columns (沼津市's 市民協働重点プロジェクト: 市民 | 地域 | 事業者 | 市)
    (("取組名", "取組内容", "担当課", "市民", "地域", "事業者", "市"),
     [("ぬまづ自然再発見プロジェクト", "身近な自然を歩いて調べる催しを開く。", "環境政策課", "◎", "○", "△", "○"),
      ("環境教育推進プロジェクト", "学校と地域で環境の学びを広げる。", "学校教育課", "○", "○", "△", "◎")],
     [("市民◎", "地域○", "事業者△", "市○"), ("市民○", "地域○", "事業者△", "市◎")]),
    (("取組名", "担当課", "備考", "その他"), [("市民活動フェスタの開催", "協働推進課", "", ""),
                                          ("協働事業提案制度", "協働推進課", "令和7年度見直し", "")], [(), ()]),
])
def test_actor_and_remarks_columns_do_not_hide_the_header(tmp_path: Path, header: tuple[str, ...],
                                                          rows: list[tuple[str, ...]], marks: list[tuple[str, ...]]) -> None:
    """The actors of a matrix of who acts (市民 | 地域 | 事業者 | 市) and a 備考 column are no column words, and a
    header with as many of them as column words was not taken for a header: the table gave no measures."""
    items = _read(tmp_path / "取組.xlsx", "市民協働推進計画 取組一覧", header, rows)
    dept = header.index("担当課")
    assert [(i.name, i.departments, i.marks) for i in items] == [(r[0], (r[dept],), m) for r, m in zip(rows, marks)]
