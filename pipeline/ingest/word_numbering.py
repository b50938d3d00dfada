"""Word's automatic numbering (段落番号, 箇条書き): the labels Word draws before numbered paragraphs
(第1章, (1), ①, ア, ・) are not in the paragraph's text but made from word/numbering.xml. A plan
written with them would lose every number a reader goes by (the outline's levels, ① measures), so
they are made here as Word shows them: the paragraph's numbering (its own w:numPr, else its style's,
through basedOn), the level's counter (restarted by the levels above it), its format and its
lvlText ("(%1)", "第%1章", "%1-%2")."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..ooxml import W
from ..text.normalize import SYMBOL_FONT_MARKS

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP_DIGITS = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_AIUEO = ("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン")
_IROHA = ("イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン")
_KANJI = "〇一二三四五六七八九"
_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_HALF_KANA = str.maketrans(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン",
    "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ")
BULLET = "・"  # a bullet that draws no character of its own
# The bullets of the symbol fonts (Wingdings, Symbol) as the characters they draw; other codes of
# those fonts have no meaning outside them.
SYMBOL_BULLETS = {**SYMBOL_FONT_MARKS, "\uf0d8": "・", "\uf0fc": "・", "\uf076": "・", "\uf0a8": "・"}


SYMBOL_FONTS = ("wingdings", "symbol", "webdings")


def symbol_char(ch: str, font: str = "") -> str:
    """ch, or the bullet a private-use code of a symbol font draws ("" for another such code); in a
    symbol font (Wingdings 2 …) a code under 256 is that font's too (§ is Wingdings' ▪, l its ●)."""
    if font.lower().startswith(SYMBOL_FONTS) and ord(ch) < 0x100:
        ch = chr(0xF000 + ord(ch))
    if "\ue000" <= ch <= "\uf8ff":
        return SYMBOL_BULLETS.get(ch, "")
    return ch

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _kanji(n: int) -> str:
    """一, 十, 十一, 二十三, 百五 … (japaneseCounting)."""
    if n <= 0:
        return _KANJI[0]
    if n >= 10_000:
        return str(n)
    out = ""
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, unit)
        if d:
            out += ("" if d == 1 else _KANJI[d]) + name
    return out + (_KANJI[n] if n else "")


def _letters(n: int) -> str:
    """A … Z, AA, BB … as Word counts letters."""
    n = max(n, 1)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, name in _ROMAN:
        while n >= value:
            out, n = out + name, n - value
    return out


def _cycle(chars: str, n: int) -> str:
    return chars[(max(n, 1) - 1) % len(chars)]


def number_text(n: int, fmt: str) -> str:
    """n in Word's number format fmt (w:numFmt); formats not listed are decimal, none is empty."""
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULL_DIGITS)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return _PAREN_DIGITS[n - 1] if 1 <= n <= len(_PAREN_DIGITS) else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return _FULLSTOP_DIGITS[n - 1] if 1 <= n <= len(_FULLSTOP_DIGITS) else f"{n}."
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "aiueoFullWidth":
        return _cycle(_AIUEO, n)
    if fmt == "aiueo":
        return _cycle(_AIUEO, n).translate(_HALF_KANA)
    if fmt == "irohaFullWidth":
        return _cycle(_IROHA, n)
    if fmt == "iroha":
        return _cycle(_IROHA, n).translate(_HALF_KANA)
    if fmt in ("japaneseCounting", "chineseCounting", "chineseCountingThousand", "japaneseLegal",
               "ideographDigital", "japaneseDigitalTenThousand", "taiwaneseCounting"):
        return _kanji(n) if fmt not in ("ideographDigital", "japaneseDigitalTenThousand") \
            else "".join(_KANJI[int(d)] for d in str(max(n, 0)))
    if fmt == "ideographTraditional":
        return _cycle(_TRADITIONAL, n)
    if fmt == "ideographZodiac":
        return _cycle(_ZODIAC, n)
    return str(n)


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restarted by levels above this (1-based); None: any above
    legal: bool = False  # w:isLgl: the levels it quotes as decimal
    suffix: str = "tab"
    style: str = ""  # w:pStyle: the paragraph style this level belongs to
    font: str = ""  # the font its label is drawn in (Wingdings, Symbol: a bullet's code is that font's)


@dataclass
class _List:
    """One list's counters (a w:num, or every w:num of one abstractNum that does not restart it)."""

    levels: dict[int, _Level]
    counters: dict[int, int] = field(default_factory=dict)


def _val(el: Any, tag: str, default: str | None = None) -> str | None:
    found = el.find(f"{W}{tag}") if el is not None else None
    return found.get(f"{W}val", default) if found is not None else default


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _level(el: Any) -> _Level:
    restart = _val(el, "lvlRestart")
    legal = el.find(f"{W}isLgl")
    return _Level(start=_int(_val(el, "start"), 1), fmt=_val(el, "numFmt", "decimal") or "decimal",
                  text=_val(el, "lvlText", "") or "", restart=None if restart is None else _int(restart, 0),
                  legal=legal is not None and legal.get(f"{W}val", "1") not in ("0", "false", "off"),
                  suffix=_val(el, "suff", "tab") or "tab", style=_val(el, "pStyle", "") or "",
                  font=_font(el.find(f"{W}rPr")))


def _font(rpr: Any) -> str:
    fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
    if fonts is None:
        return ""
    return fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi") or fonts.get(f"{W}cs") or ""


def _numpr(ppr: Any) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a w:pPr's own w:numPr (not of a tracked change's old properties)."""
    numpr = ppr.find(f"{W}numPr") if ppr is not None else None
    if numpr is None:
        return None, None
    ilvl = _val(numpr, "ilvl")
    return _val(numpr, "numId"), None if ilvl is None else _int(ilvl, 0)


class Numbering:
    """The labels of one document's numbered paragraphs, in document order (label() counts)."""

    def __init__(self, numbering: Any = None, styles: Any = None) -> None:
        """numbering, styles: the root elements of word/numbering.xml and word/styles.xml, or None."""
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._links: dict[str, str] = {}  # abstractNum id → the numbering style it takes its levels from
        self._nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._based: dict[str, str] = {}
        self._lists: dict[str, _List] = {}
        self._started: set[str] = set()  # the nums whose startOverride has been applied
        self.bullet = False  # whether the last label was a bullet (not a number)
        if styles is not None:
            for st in styles.iter(f"{W}style"):
                sid = st.get(f"{W}styleId") or ""
                based = _val(st, "basedOn")
                if based:
                    self._based[sid] = based
                num_id, ilvl = _numpr(st.find(f"{W}pPr"))
                if num_id is not None:
                    self._style_num[sid] = (num_id, ilvl)
        if numbering is None:
            return
        for an in numbering.iter(f"{W}abstractNum"):
            aid = an.get(f"{W}abstractNumId") or ""
            self._abstract[aid] = {_int(lvl.get(f"{W}ilvl"), 0): _level(lvl) for lvl in an.iter(f"{W}lvl")}
            link = _val(an, "numStyleLink")
            if link:
                self._links[aid] = link
        for num in numbering.iter(f"{W}num"):
            nid = num.get(f"{W}numId") or ""
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"), 0)
                start = _val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                    if start is None and lvl.find(f"{W}start") is not None:
                        starts[ilvl] = levels[ilvl].start
            self._nums[nid] = (_val(num, "abstractNumId", "") or "", starts, levels)

    def _levels(self, aid: str, seen: int = 0) -> dict[int, _Level]:
        """An abstractNum's levels, through a numStyleLink to the numbering style that defines them."""
        link = self._links.get(aid)
        if link and seen < 4:
            num_id, _ = self._style_num.get(link, (None, None))
            if num_id is not None and num_id in self._nums and self._nums[num_id][0] != aid:
                return self._levels(self._nums[num_id][0], seen + 1)
        return self._abstract.get(aid, {})

    def _style_numpr(self, style: str) -> tuple[str | None, int | None, str]:
        seen = 0
        while style and seen < 16:
            if style in self._style_num:
                num_id, ilvl = self._style_num[style]
                return num_id, ilvl, style
            style, seen = self._based.get(style, ""), seen + 1
        return None, None, ""

    def label(self, p: Any) -> str:
        """The label Word draws before paragraph p (with the space after it), counting p; "" for a
        paragraph that is not numbered."""
        if not self._nums:
            return ""
        ppr = p.find(f"{W}pPr")
        num_id, ilvl = _numpr(ppr)
        style = _val(ppr, "pStyle", "") or ""
        from_style = ""
        if num_id is None:
            num_id, style_ilvl, from_style = self._style_numpr(style)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        aid, starts, overrides = self._nums[num_id]
        levels = {**self._levels(aid), **overrides}
        if ilvl is None:  # a style's numbering names no level: the level that names the style
            ilvl = next((k for k, lv in sorted(levels.items()) if from_style and lv.style == from_style), 0)
        self.bullet = False
        if ilvl not in levels:
            return ""
        # Lists of one abstractNum share their counters (as Word counts them); a num that starts afresh
        # (番号の振り直し: a startOverride) sets them where it is first used.
        key = f"a{aid}"
        if key not in self._lists:
            self._lists[key] = _List(levels)
        lst = self._lists[key]
        if starts and num_id not in self._started:
            self._started.add(num_id)
            for k, start in starts.items():
                lst.counters[k] = start - 1
                for deeper in [d for d in lst.counters if d > k]:
                    lst.counters.pop(deeper)
        lst.levels = levels
        level = levels[ilvl]
        lst.counters[ilvl] = lst.counters.get(ilvl, level.start - 1) + 1
        for k, lv in levels.items():  # the levels below restart (unless lvlRestart says otherwise)
            if k > ilvl and (lv.restart is None or (lv.restart != 0 and ilvl < lv.restart)):
                lst.counters.pop(k, None)
        self.bullet = level.fmt == "bullet"
        if self.bullet:
            text = "".join(symbol_char(ch, level.font) for ch in level.text) or BULLET
        else:
            text = level.text
            for k in range(9):
                if f"%{k + 1}" in text:
                    lv = levels.get(k, _Level())
                    n = lst.counters.get(k, lv.start)
                    text = text.replace(f"%{k + 1}", number_text(n, "decimal" if level.legal else lv.fmt))
        if not text.strip():
            return ""
        return text + ("" if level.suffix == "nothing" else " ")
