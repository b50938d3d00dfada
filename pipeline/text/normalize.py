"""Pure text normalizers: NFKC with exceptions, extraction-noise repair, 和暦/年度 parsing and rollover."""
from __future__ import annotations

import datetime
import functools
import re
import unicodedata

from ..model import FiscalYear

# Characters NFKC would change but a planner wants kept as written.
_KEEP = set("○〇●◎★☆■□◆◇▲△▼▽※～")
_KEEP.update(chr(c) for c in range(0x2460, 0x24FF + 1))  # ① … ⑳, Ⓐ …, circled numbers
_KEEP.update(chr(c) for c in range(0x3200, 0x32FF + 1))  # ㈱ ㈲ ㊤ …
_KEEP.update(chr(c) for c in range(0x2776, 0x2793 + 1))  # ❶ … dingbat circled numbers

# The marks of symbol fonts (Wingdings, Symbol) at their private-use codes, as a PDF of a Word file
# keeps them: the characters they draw.
SYMBOL_FONT_MARKS = {"\uf06c": "●", "\uf06e": "■", "\uf075": "◆", "\uf0a7": "■", "\uf0b7": "・", "\uf09f": "・"}

# Look-alikes NFKC does not fold: CJK Radicals Supplement and a few others pdfminer emits.
_LOOKALIKE = str.maketrans(
    {
        "〜": "～",
        "⺟": "母", "⺠": "民", "⻑": "長", "⻄": "西", "⻘": "青", "⻝": "食", "⻤": "鬼",
        "⻯": "竜", "⻲": "亀", "⻩": "黄", "⻫": "斉", "⻭": "歯", "⻣": "骨", "⻌": "辶",
        "⺅": "亻", "⺉": "刂", "⺾": "艹", "⻖": "阝",
        "\u200b": "", "\ufeff": "", "\u00ad": "",
        **SYMBOL_FONT_MARKS,
    }
)
_CID = re.compile(r"\(cid:\d+\)")


def nfkc(text: str) -> str:
    """NFKC-normalize text, keeping circled numbers, ㈱ and plan marks (○〇●◎★ …) as written."""
    if "(cid:" in text:
        text = _CID.sub("", text)
    text = text.translate(_LOOKALIKE)
    if _KEEP.isdisjoint(text):
        return unicodedata.normalize("NFKC", text)
    out: list[str] = []
    run: list[str] = []
    for ch in text:
        if ch in _KEEP:
            out.append(unicodedata.normalize("NFKC", "".join(run)))
            out.append(ch)
            run = []
        else:
            run.append(ch)
    out.append(unicodedata.normalize("NFKC", "".join(run)))
    return "".join(out)


CJK_CHARS = r"\u3005\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u30fc々ー"  # (for a [] class)
_CJK = CJK_CHARS
_CJK_PUNCT = r"\u3000-\u303f\uff01-\uff60"
_WORDCH = r"0-9A-Za-z" + _CJK
_LETTER_SPACED = re.compile(rf"(?<![^\s])[{_WORDCH}](?: [{_WORDCH}])+(?![^\s])")
_SPACED_DIGITS = re.compile(r"(?<![\d.,])(\d) (\d)(?![\d.,])")
_SPACED_NUMDOT = re.compile(r"(?<![\d.])(\d) ([.．]) ?")
_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]) +(?=[{_CJK}{_CJK_PUNCT}])")
_BOLD = re.compile(r"\*\*|__")
_SPACES = re.compile(r"[ \t\u3000]+")
# Bidi controls (which reorder what a reader sees), zero-width marks and the other control characters
# (ESC of a terminal escape sequence, BEL, NUL, DEL, C1 codes: nothing a plan prints) are dropped; the
# other line breaks a cell can hold (line and paragraph separators, NEL, vertical tab, form feed) are
# line breaks.
# A terminal escape sequence whole (CSI such as ESC [31m, OSC such as a window title), not only its ESC.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")
_BREAKS = (0x2028, 0x2029, 0x85, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E)
_CONTROLS = {**{c: None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0xFEFF)},
             **{c: None for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A, 0x0D)},
             **{c: "\n" for c in _BREAKS}}


_WIDE = "\ue000"  # (a private-use character standing for a full-width space through the repair)


def repair_spacing(text: str, cjk: bool = False) -> str:
    """Undo letter-spacing from PDF extraction: 'N P O' → 'NPO', '(1 0)' → '(10)', '3 . モデル' → '3. モデル'.

    With cjk=True (text from a PDF) any space between two Japanese characters is dropped too, since
    Japanese running text has none."""
    text = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _SPACED_DIGITS.sub(r"\1\2", text)
    text = _SPACED_NUMDOT.sub(r"\1\2 ", text)
    if cjk:
        text = _BETWEEN_CJK.sub("", text)
    return text


@functools.lru_cache(maxsize=16384)  # a document's cells repeat (headers, departments, marks)
def clean(text: str | None, cjk_spaces: bool = False) -> str:
    """One cell or line made comparable across formats: NFKC, noise removed, spaces collapsed."""
    if not text:
        return ""
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPES.sub("", text)
    if cjk_spaces and "\u3000" in text:
        # a full-width space typed between Japanese words (第4章　具体的な取組) is a space, as in the
        # document's Word original, where the spacing repair drops the gaps of PDF extraction
        text = text.replace("\u3000", _WIDE)
    text = nfkc(text).translate(_CONTROLS)
    text = _BOLD.sub("", text)
    text = _SPACES.sub(" ", text.replace("\r", ""))
    lines = [_wide_to_space(repair_spacing(line.strip(), cjk=cjk_spaces)) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _wide_to_space(line: str) -> str:
    """A line after the spacing repair with its kept full-width spaces (_WIDE) as single spaces."""
    return _SPACES.sub(" ", line.replace(_WIDE, " ")).strip() if _WIDE in line else line


def join_wrapped(text: str) -> str:
    """Cell text wrapped over several lines, joined back: no space between Japanese characters, one
    space between Latin words."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if not parts:
        return ""
    out = parts[0]
    for p in parts[1:]:
        # Words wrapped between Latin letters keep a space; a number wrapped mid-figure (6|6団体) does not.
        if re.match(r"[A-Za-z]", p) and re.search(r"[A-Za-z,.]$", out):
            out += " " + p
        else:
            out += p
    return out


# ---------------------------------------------------------------------------------------------
# 和暦 / 年度

# (era, first Western year of the era). Year N of an era = first + N - 1.
ERAS: tuple[tuple[str, int], ...] = (("令和", 2019), ("平成", 1989), ("昭和", 1926), ("大正", 1912), ("明治", 1868))
_ERA_FIRST = dict(ERAS)
# The era of each abbreviation tables use (R7, H30年度), and the letter of each era.
ERA_OF_LETTER = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}
LETTER_OF_ERA = {era: letter for letter, era in ERA_OF_LETTER.items()}
_NUM = r"(\d{1,2}|元)"
FISCAL_RE = re.compile(rf"(令和|平成|昭和|大正|明治)\s*{_NUM}\s*年度|(?<!\d)((?:19|20)\d\d)\s*年度|(?<![A-Za-z])([RHS])\s*(\d{{1,2}}|元)\s*年度")


def era_year(era: str, n: str | int) -> int:
    """Western year of era year n ('元' = 1): era_year('平成', 21) == 2009."""
    num = 1 if n == "元" else int(n)
    return _ERA_FIRST[era] + num - 1


def wareki(year: int) -> tuple[str, int]:
    """Era and era year for a fiscal year: 2019 → ('令和', 1). A fiscal year starts in April, so it
    takes the era in force from May of that year on (FY1989 平成元年度, FY2019 令和元年度)."""
    for era, first in ERAS:
        if year >= first:
            return era, year - first + 1
    raise ValueError(f"year before 明治: {year}")


def era_number(n: int) -> str:
    """元 for the first year of an era, the number otherwise (never 1年)."""
    return "元" if n == 1 else str(n)


def fiscal_year_label(year: int) -> str:
    """2010 → '平成22年度'; 2019 → '令和元年度'."""
    era, n = wareki(year)
    return f"{era}{era_number(n)}年度"


def parse_fiscal_year(text: str) -> FiscalYear | None:
    """The first fiscal year written in text (和暦, 西暦 or H21-style), or None."""
    m = FISCAL_RE.search(nfkc(text))
    if not m:
        return None
    if m.group(1):
        return FiscalYear(label=m.group(0).replace(" ", ""), year=era_year(m.group(1), m.group(2)))
    if m.group(3):
        return FiscalYear(label=m.group(0).replace(" ", ""), year=int(m.group(3)))
    era = ERA_OF_LETTER[m.group(4)]
    return FiscalYear(label=m.group(0).replace(" ", ""), year=era_year(era, m.group(5)))


_PERIOD_ERA = r"(令和|平成|昭和)"
# 令和6年度～令和10年度, 令和6(2024)年度～, 令和2～6年度, 2020～2025, 平成28年度～平成32年度
_PERIOD = re.compile(
    rf"{_PERIOD_ERA}\s*{_NUM}\s*(?:[(（]\s*\d{{4}}\s*[)）])?\s*年度?\s*"
    rf"(?:[~～〜\-－―]|[一ー—](?=\s*(?:令和|平成|昭和))"  # (一 or ー before an era: OCR's reading of ～)
    rf"|から(?=\s*(?:(?:令和|平成|昭和)\s*)?(?:\d{{1,2}}|元)\s*(?:[(（]\s*\d{{4}}\s*[)）])?\s*年度))"
    rf"\s*(?:{_PERIOD_ERA}\s*)?{_NUM}"
    rf"\s*(?:[(（]\s*\d{{4}}\s*[)）])?\s*年度?"
    rf"|{_PERIOD_ERA}\s*{_NUM}\s*[~～〜\-－―]\s*{_NUM}\s*年度"
    r"|(?<!\d)((?:19|20)\d\d)\s*(?:年度?)?\s*[~～〜\-－―]\s*((?:19|20)\d\d)\s*(?:年度?)?"
)


# 令和6年4月～令和11年3月, 2024年4月から2029年3月まで: months, each date's fiscal year (April–March).
_PERIOD_MONTHS = re.compile(
    r"(?:(?P<e1>令和|平成|昭和)\s*(?P<n1>\d{1,2}|元)|(?P<w1>(?:19|20)\d\d))\s*年\s*(?P<m1>\d{1,2})\s*月"
    r"(?:\s*\d{1,2}\s*日)?\s*(?:[~～〜\-－―]|から)\s*"
    r"(?:(?P<e2>令和|平成|昭和)?\s*(?P<n2>\d{1,2}|元)|(?P<w2>(?:19|20)\d\d))\s*年\s*(?P<m2>\d{1,2})\s*月(?:\s*\d{1,2}\s*日)?"
)


def _fiscal_of(era: str | None, n: str | None, western: str | None, month: str) -> int:
    year = int(western) if western else era_year(era or "令和", n or "1")
    return year if int(month) >= 4 else year - 1


def parse_period(text: str) -> tuple[str, int, int] | None:
    """The first plan period written in text, as printed, with its first and last fiscal year
    (令和2～6年度: 6 in 令和; 令和6年4月～令和11年3月: 令和6 to 令和10), or None (a span that does not
    go forward is none)."""
    text = nfkc(text)
    months = _PERIOD_MONTHS.search(text)
    m = _PERIOD.search(text)
    if months and (not m or months.start() <= m.start()):
        g = months.groupdict()
        first = _fiscal_of(g["e1"], g["n1"], g["w1"], g["m1"])
        last = _fiscal_of(g["e2"] or g["e1"], g["n2"], g["w2"], g["m2"])
        return (months.group(0).strip(), first, last) if last >= first else None
    if not m:
        return None
    label = m.group(0).strip()
    if m.group(1):
        first, last = era_year(m.group(1), m.group(2)), era_year(m.group(3) or m.group(1), m.group(4))
    elif m.group(5):
        first, last = era_year(m.group(5), m.group(6)), era_year(m.group(5), m.group(7))
    else:
        first, last = int(m.group(8)), int(m.group(9))
        return (label, first, last) if last > first else None
    return (label, first, last) if last >= first else None


_FIRST_YEAR_ARG = 1950
_YEARS_AHEAD = 30


def parse_year_arg(value: str) -> int:
    """A --year argument: '平成22年度', 'H22', '令和元年度', '2010' or '2010年度' → 2010."""
    value = nfkc(value).strip()
    if re.fullmatch(r"(19|20)\d\d(年度?)?", value):
        year: int | None = int(value[:4])
    else:
        fy = parse_fiscal_year(value if value.endswith("年度") else value + "年度")
        year = fy.year if fy is not None else None
    # (平成99年度 is no year a plan is for: it would write 令和69年度 without a word)
    if year is None or not _FIRST_YEAR_ARG <= year <= datetime.date.today().year + _YEARS_AHEAD:
        from ..messages import text

        raise ValueError(text("year.not_fiscal", value=repr(value)))
    return year


_ANY_YEAR = re.compile(
    rf"(令和|平成|昭和|大正|明治)\s*{_NUM}(\s*年)|(?<![\d])((?:19|20)\d\d)(\s*年)"
    rf"|(?<![A-Za-z])([RHSTM])\.?\s*{_NUM}(\s*年)|(?<![\dA-Za-z年成和])(\d{{1,2}}|元)(年度)"
)
_MONTH_AFTER = re.compile(r"\s*(\d{1,2})\s*月")
# The month each era began in (令和 on 1 May 2019): a date of that year before it is the era before's.
_ERA_MONTH = {"令和": 5, "昭和": 12}


def _dated(year: int, month: int | None) -> tuple[str, int]:
    """Era and era year of a date in calendar year with month (None: of the fiscal year, wareki)."""
    era, n = wareki(year)
    if month is not None and n == 1 and month < _ERA_MONTH.get(era, 1):
        before = ERAS[[e for e, _ in ERAS].index(era) + 1]
        return before[0], year - before[1] + 1
    return era, n


def rollover(text: str, from_year: int, to_year: int) -> str:
    """Move every mention of from_year (平成21年度, 平成21年4月, H21年度, 2009年度, 21年度) to to_year,
    across era changes (平成30年度 → 令和元年度, H30年度 → R元年度; 平成30年4月 → 平成31年4月, since
    令和 began in May); other years are history and stay as written."""
    if not text or from_year == to_year:
        return text
    src_era, src_n = wareki(from_year)
    dst_era, dst_n = wareki(to_year)
    # The source may be written in an era that ended that year: 平成31年度 is FY2019 as well.
    src_alts = {(src_era, src_n)}
    for era, first in ERAS:
        if first <= from_year and (era, from_year - first + 1) != (src_era, src_n):
            src_alts.add((era, from_year - first + 1))
            break

    def target(m: re.Match[str]) -> tuple[str, int]:
        """The era and number to write: of the fiscal year, or for a date (年 then a month) the era
        of that month."""
        month = None if m.string.startswith("度", m.end()) else _MONTH_AFTER.match(m.string, m.end())
        return _dated(to_year, int(month.group(1)) if month else None)

    def sub(m: re.Match[str]) -> str:
        if m.group(1):
            era, n = m.group(1), (1 if m.group(2) == "元" else int(m.group(2)))
            if (era, n) in src_alts:
                to_era, to_n = target(m)
                return f"{to_era}{era_number(to_n)}{m.group(3)}"
            return m.group(0)
        if m.group(4):
            return f"{to_year}{m.group(5)}" if int(m.group(4)) == from_year else m.group(0)
        if m.group(6):
            era, n = ERA_OF_LETTER[m.group(6)], (1 if m.group(7) == "元" else int(m.group(7)))
            if (era, n) in src_alts:
                to_era, to_n = target(m)
                return f"{LETTER_OF_ERA[to_era]}{era_number(to_n)}{m.group(8)}"
            return m.group(0)
        n = 1 if m.group(9) == "元" else int(m.group(9))
        eras = {era for era, alt_n in src_alts if alt_n == n}
        if eras:
            if eras == {dst_era}:
                return f"{era_number(dst_n)}{m.group(10)}"
            return f"{dst_era}{era_number(dst_n)}{m.group(10)}"
        return m.group(0)

    return _ANY_YEAR.sub(sub, text)
