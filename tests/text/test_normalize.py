"""Normalizers: NFKC exceptions, extraction-noise repair, 和暦/年度 parsing and rollover."""
from __future__ import annotations

import pytest

from pipeline.text.normalize import (
    clean,
    fiscal_year_label,
    join_wrapped,
    parse_fiscal_year,
    parse_period,
    parse_year_arg,
    rollover,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(1 0) 協働の取り組み", "(10) 協働の取り組み"),
        ("地域団体と N P O 等", "地域団体と NPO等"),
        ("3 . モデル事業", "3. モデル事業"),
        ("施策3**市民活動を活性化する！！**", "施策3市民活動を活性化する!!"),
        ("⽅針と⾏政", "方針と行政"),  # Kangxi radicals from pdfminer
        ("\uf06e協働事例集の作成 \uf06c出前講座 \uf075重点 \uf0b7要点", "■協働事例集の作成 ●出前講座 ◆重点 ・要点"),  # Wingdings/Symbol bullets in a PDF of Word
        ("① ㈱ ◎ ★ ● ○ 〇", "① ㈱ ◎ ★ ● ○ 〇"),  # kept as written
        ("（市の取組み）　ＡＢＣ１２３", "(市の取組み) ABC123"),
        ("平成20年度〜", "平成20年度～"),
        ("市 民 協 働 の 推 進", "市民協働の推進"),
        ("項 目", "項目"),
        ("地域再生推進本部 関係各部", "地域再生推進本部 関係各部"),  # two departments stay apart
        ("(cid:12)協働", "協働"),
        # Terminal escape sequences and other control characters from a document never reach a screen.
        ("協働\x1b[31m出前\x1b[0m講座", "協働出前講座"),
        ("\x1b]0;title\x07市民活動\x00\x7f\x9b2J支援", "市民活動支援"),
        ("一行目\x0b二行目", "一行目\n二行目"),
        ("", ""),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_pdf_drops_spaces_between_japanese_only() -> None:
    assert clean("市民 協働 の推進 NPO 法人", cjk_spaces=True) == "市民協働の推進 NPO 法人"


def test_join_wrapped_joins_japanese_without_space_and_latin_with_one() -> None:
    assert join_wrapped("市民活動コミュニティが\nお互いに情報を") == "市民活動コミュニティがお互いに情報を"
    assert join_wrapped("Public\nComment") == "Public Comment"
    assert join_wrapped("現在6\n6団体掲載") == "現在66団体掲載"
    assert join_wrapped("平成2\n1年度") == "平成21年度"


@pytest.mark.parametrize(
    ("text", "year", "label"),
    [
        ("平成21年度 市民協働推進アクションプラン", 2009, "平成21年度"),
        ("令和元年度", 2019, "令和元年度"),
        ("平成31年度", 2019, "平成31年度"),
        ("令和 3 年度", 2021, "令和3年度"),
        ("２０１０年度計画", 2010, "2010年度"),
        ("H21年度", 2009, "H21年度"),
        ("昭和64年度", 1989, "昭和64年度"),
    ],
)
def test_parse_fiscal_year(text: str, year: int, label: str) -> None:
    fy = parse_fiscal_year(text)
    assert fy is not None and fy.year == year and fy.label == label


def test_parse_fiscal_year_none() -> None:
    assert parse_fiscal_year("市民協働推進アクションプラン") is None


@pytest.mark.parametrize(("year", "label"), [(2010, "平成22年度"), (2019, "令和元年度"), (2020, "令和2年度"), (1989, "平成元年度")])
def test_fiscal_year_label_writes_gannen(year: int, label: str) -> None:
    assert fiscal_year_label(year) == label


@pytest.mark.parametrize(("arg", "year"), [("平成22年度", 2010), ("2010", 2010), ("H22", 2010), ("令和元年度", 2019), ("2019年度", 2019)])
def test_parse_year_arg(arg: str, year: int) -> None:
    assert parse_year_arg(arg) == year


@pytest.mark.parametrize("arg", ["来年", "平成99年度", "2099", "1900"])
def test_parse_year_arg_rejects_junk(arg: str) -> None:
    """平成99年度 would have drafted 令和69年度 without a word; 平成32年度 (printed in plans made before
    令和) is still 2020."""
    with pytest.raises(ValueError):
        parse_year_arg(arg)
    assert parse_year_arg("平成32年度") == 2020


@pytest.mark.parametrize(
    ("text", "src", "dst", "expected"),
    [
        ("平成21年度アクションプラン", 2009, 2010, "平成22年度アクションプラン"),
        ("21年度における市民及び市が行う", 2009, 2010, "22年度における市民及び市が行う"),
        ("第1段階(平成20年度～)、平成21年度～", 2009, 2010, "第1段階(平成20年度～)、平成22年度～"),
        ("平成21年4月", 2009, 2010, "平成22年4月"),
        ("2009年度計画", 2009, 2010, "2010年度計画"),
        ("平成30年度計画、30年度の", 2018, 2019, "令和元年度計画、令和元年度の"),
        ("平成31年度計画", 2019, 2020, "令和2年度計画"),
        ("令和元年度計画", 2019, 2020, "令和2年度計画"),
        ("現在66団体掲載", 2009, 2010, "現在66団体掲載"),
        # Abbreviated eras keep their letter and cross the era change (never H令和…).
        ("H30年度実績、H29年度実績", 2018, 2019, "R元年度実績、H29年度実績"),
        ("H31年度目標", 2019, 2020, "R2年度目標"),
        ("R元年度の実績", 2019, 2020, "R2年度の実績"),
        ("H21年4月から", 2009, 2010, "H22年4月から"),
        # A date keeps the era in force that month: 令和 began on 1 May 2019.
        ("平成30年4月に開設", 2018, 2019, "平成31年4月に開設"),
        ("平成30年10月に開設", 2018, 2019, "令和元年10月に開設"),
    ],
)
def test_rollover(text: str, src: int, dst: int, expected: str) -> None:
    assert rollover(text, src, dst) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("計画期間：令和6年度～令和10年度", ("令和6年度～令和10年度", 2024, 2028)),
    ("計画期間は令和6年度から令和10年度までの5年間です。", ("令和6年度から令和10年度", 2024, 2028)),
    ("令和2～6年度", ("令和2～6年度", 2020, 2024)),
    ("平成31年度～令和5年度", ("平成31年度～令和5年度", 2019, 2023)),
    # months: each date's fiscal year (April–March), so 令和11年3月 ends 令和10年度
    ("計画期間：令和6年4月～令和11年3月", ("令和6年4月～令和11年3月", 2024, 2028)),
    ("令和6年4月1日から令和11年3月31日まで", ("令和6年4月1日から令和11年3月31日", 2024, 2028)),
    ("平成31年4月～令和6年3月", ("平成31年4月～令和6年3月", 2019, 2023)),
    ("2024年4月～2029年3月", ("2024年4月～2029年3月", 2024, 2028)),
    # a scan's OCR reads ～ as 一 or ー: a span still where an era follows
    ("令和6年度一令和10年度", ("令和6年度一令和10年度", 2024, 2028)),
    ("令和6年度ー令和10年度", ("令和6年度ー令和10年度", 2024, 2028)),
])
def test_parse_period(text: str, expected: tuple[str, int, int]) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["令和6年度から3年間", "令和6年度から実施します", "令和6年度～令和3年度", "平成30年12月～",
                                  "令和6年度一般会計予算", "令和6年度一体的に進める"])
def test_parse_period_none(text: str) -> None:
    """A start with no end, a span of years and a span going backwards are no plan period."""
    assert parse_period(text) is None
