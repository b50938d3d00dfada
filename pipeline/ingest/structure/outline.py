"""Numbered and bulleted lines: what numbering a line opens with (1 / 1. / (1) / ① / ア / (ア) /
1-(1)-ア / 5-2-1 / 第5章 / ■ / ・ …), so headings nest by the order their kinds first appear and the
lines of the deepest level become items."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .tables import EXACT_WORDS, ROLE_WORDS, YEAR_LABEL, compact, label_role

_KATA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
_CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474)) + "".join(chr(c) for c in range(0x2776, 0x2780))

# (kind, pattern): the number and the text after it. Checked in order.
_NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    # (the space after 第3章 is lost in many PDFs' text: 第3章実施計画)
    ("chapter", re.compile(r"^(第\s*[0-9一二三四五六七八九十]{1,3}\s*[章編部])(?:\s+|\u3000)?((?!会)[^\s　].{0,59})$")),
    ("section", re.compile(r"^(第\s*[0-9一二三四五六七八九十]{1,3}\s*節)(?:\s+|\u3000)?([^\s　].{0,59})$")),
    ("policy", re.compile(r"^((?:基本)?(?:施策|目標|方針|方策|推進方策)\s*[0-9一二三四五六七八九十]{1,2})\s*[:：.．、)）]?\s*(.*)$")),
    # 目標(1) under 推進方策1 (府中市's 進行管理シート): a level of its own, below the plain ones
    ("policy_paren", re.compile(r"^((?:基本)?(?:施策|目標|方針|方策|推進方策)\s*[(（][0-9]{1,2}[)）])\s*[:：.．、]?\s*(.*)$")),
    # 取組1 若者の人材育成, 事業2：…: a measure numbered by its own word (a space or a sign after the number)
    ("measure_no", re.compile(r"^((?:取組|取り組み|取組み|事業|施策事業)\s*[0-9]{1,2})(?:\s+|\u3000|\s*[:：.．、)）]\s*)(.{1,80})$")),
    ("dash3", re.compile(r"^(\d{1,2}\s*[-－‐]\s*\d{1,2}\s*[-－‐]\s*\d{1,2})(?:\s+|\u3000)(.{1,80})$")),
    ("dash2", re.compile(r"^(\d{1,2}\s*[-－‐]\s*\d{1,2})(?:\s+|\u3000)(.{1,80})$")),
    ("paren", re.compile(r"^([(（]\s*\d{1,2}\s*[)）])\s*(.*)$")),
    ("paren_kata", re.compile(rf"^([(（][{_KATA}][)）])\s*(.*)$")),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*(.*)$")),
    ("num_dot", re.compile(r"^(\d{1,2}\s*[.．、])(?!\d)\s*(.*)$")),
    ("num_space", re.compile(r"^(\d{1,2})(?:\s+|\u3000)(?![年月日%％])(.+)$")),
    ("kata", re.compile(rf"^([{_KATA}])(?:[\s\u3000.．、]+)(.+)$")),
    ("md", re.compile(r"^(#{1,6})\s+(.*)$")),
)
HEADING_MARKS = "■◆□◇▼▽◎●"  # a marked line that is a heading when lines follow under it
BULLETS = "・○◯〇●◎◦•‣▪▫*＊-－"
_LABEL_LINE = re.compile(r"^([^：:。、]{2,14})[：:]\s*(.+)$")
# Brackets a colon inside does not split (まちづくり出前講座（テーマ：協働のすすめ）の開催, 「市民と行政：…」).
_OPENERS, _CLOSERS = "（(「『【[〔〈《", "）)」』】]〕〉》"
# The longest label an unknown 'label：value' line under a numbered item may have and still describe it
# (現状と課題, 取組の方向, 期待される効果); a longer one names a measure (協働出前講座の開催：…).
ATTRIBUTE_LABEL_MAX = 8
# Roles whose word may end a longer label (取り組みの具体的な内容, 主な担当課). The words of the other
# roles also end measures' names (協働事業評価, 地域づくり交付金), so such a label must be mostly the word.
_TRAILING_ROLES = ("content", "departments", "tags", "schedule", "year", "target", "kpi")
# Labels that describe a measure but name no column (主な担い手, 実施場所, 事業期間): at most a few
# characters before the word, so a measure's name that ends so (まちづくりの担い手育成) stays a name.
_DESCRIPTION_WORDS = ("期間", "日時", "時期", "場所", "会場", "目的", "対象者", "参加者", "回数", "頻度", "担い手",
                      "連携先", "相手", "方法", "手法", "効果", "役割", "備考", "根拠", "費用")


@dataclass(frozen=True)
class Numbered:
    kind: str  # a numbering kind above, "mark" (■ ◆ …: a heading mark) or "bullet" (・ ○ …)
    number: str  # as printed: (1), ①, ア, ■
    text: str  # the rest of the line


def numbering(line: str) -> Numbered | None:
    """The numbering or mark a line opens with, or None for running text."""
    text = line.strip()
    if not text:
        return None
    for kind, pattern in _NUMBERING:
        m = pattern.match(text)
        if m and m.group(2).strip():
            kind = f"md{len(m.group(1))}" if kind == "md" else kind
            return Numbered(kind, re.sub(r"\s+", "", m.group(1)), m.group(2).strip())
    if text[0] in "■◆□◇▼▽":
        return Numbered(f"mark{text[0]}", text[0], text[1:].strip()) if text[1:].strip() else None
    if text[0] in BULLETS and len(text) > 1 and not (text[0] in "-－" and text[1:2].isdigit()):
        return Numbered("bullet", text[0], text[1:].strip()) if text[1:].strip() else None
    return None


def _outer_colon(text: str) -> int | None:
    """Where the first colon outside brackets is, or None."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(depth - 1, 0)
        elif ch in "：:" and depth == 0:
            return i
    return None


# 【担当課】市民協働課, ［所管課］…, 〔担当〕…: a label in brackets instead of before a colon
_BRACKET_LABEL = re.compile(r"^[【\[［〔〈<＜]([^】\]］〕〉>＞]{2,8})[】\]］〕〉>＞][:：]?\s*(\S.*)$")
_BRACKET_ROLES = ("departments", "kpi", "status", "schedule")


def label_line(text: str) -> tuple[str, str] | None:
    """'取り組みの内容：…' → (label, value): a line that describes the item above it (not one whose colon is
    inside brackets: 出前講座（テーマ：協働）の開催); also 【担当課】市民協働課, the label in brackets where
    it names a department, an indicator, progress or a year (never 【新規】協働フォーラム, a tag)."""
    text = text.strip()
    bracketed = _BRACKET_LABEL.match(text)
    if bracketed and attribute_role(bracketed.group(1)) in _BRACKET_ROLES:
        return bracketed.group(1).strip(), bracketed.group(2).strip()
    m = _LABEL_LINE.match(text)
    if m is None or _outer_colon(text) != len(m.group(1)):
        return None
    return m.group(1).strip(), m.group(2).strip()


# Who judged the measure, then the judgment: the department's own (担当課の評価, 所管課評価) or a
# committee's (推進会議の意見, 委員会評価): a result, though a measure's name may end in 評価 (協働事業の評価).
_JUDGED = re.compile(r"^(?:担当課|所管課|担当部署|主管課|担当|所管|推進会議|推進委員会|委員会|審議会|協議会|委員|外部評価委員|外部評価員|"
                     r"市民会議)の?(?:自己)?(?:評価|意見|コメント|所見|考え|総括|提言)$")


def attribute_role(label: str) -> str | None:
    """The role a 'label：' line gives the item above it (担当課 → departments, 取り組みの内容 → content,
    区分, 目標, 令和6年度 …; "description" for 主な担い手, 実施場所 …), or None when the label is a
    measure's own name (協働事業提案制度：…, though 事業 is a column word)."""
    word = compact(label).strip("【】[]()（）■□◆◇●○・")
    if word in EXACT_WORDS:
        return EXACT_WORDS[word]
    if _JUDGED.match(word):
        return "status"
    exact = next((r for r, words in ROLE_WORDS.items() if word in words), None)
    role = label_role(word)
    if exact is None and any(word.endswith(w) and len(word) <= len(w) + 3 for w in _DESCRIPTION_WORDS):
        return role if role not in (None, "name") else "description"
    if exact is not None or role is None:
        return exact
    if role in ("schedule", "status") and YEAR_LABEL.match(word):
        return role  # 令和6年度：検討
    ending = max(((len(w), r) for r, words in ROLE_WORDS.items() for w in words if word.endswith(w)), default=None)
    if ending is not None and ending[1] in _TRAILING_ROLES:
        return ending[1]
    if role == "name":
        return None
    inside = max((len(w) for w in ROLE_WORDS.get(role, ()) if w in word), default=0)
    return role if inside * 2 >= len(word) else None


def is_attribute_label(label: str) -> bool:
    """Whether a 'label：' line describes the item above it rather than being a measure (attribute_role)."""
    return attribute_role(label) is not None


def short_label(label: str) -> bool:
    """Whether a label is short enough to describe an item rather than name a measure (現状と課題)."""
    return len(compact(label)) <= ATTRIBUTE_LABEL_MAX


def split_name_content(text: str) -> tuple[str, str]:
    """'名前：内容' → (name, content) at the first colon outside brackets, when the name is not an
    attribute label; else (text, ''). A colon by a digit (10:00, 目標：10件) splits nothing."""
    stripped = text.strip()
    i = _outer_colon(stripped)
    if i is None or stripped[i - 1:i].isdigit() or stripped[i + 1:i + 2].isdigit():
        return text, ""
    name, content = stripped[:i].strip(), stripped[i + 1:].strip()
    if not 2 <= len(name) <= 60 or "。" in name or not content or is_attribute_label(name):
        return text, ""
    return name, content


def is_sentence(text: str) -> bool:
    """Running text rather than a measure's name: it ends a sentence."""
    return text.rstrip().endswith(("。", "ます", "です"))


# Section headings whose lines are not measures (the aim, background, steps, legend …): a heading that
# ends with one of these words (計画の目的, 市民協働の現状と課題, 計画の推進体制), not one that only holds it
# (地域課題の解決, 協働の推進体制の整備, テーマ型市民活動の支援, 基本方針1 住民自治の強化: measures under them).
NON_MEASURE_SECTIONS = ("趣旨", "目的", "背景", "位置付け", "位置づけ", "理念", "現状", "課題", "手順", "流れ",
                        "凡例", "テーマ", "問合せ", "問い合わせ", "問合せ先", "問い合わせ先", "用語", "経緯", "体制",
                        "期間", "基本方針", "概要", "まちの姿", "目指す姿", "めざす姿", "進め方", "評価の方法",
                        "構成", "見方", "あいさつ", "挨拶",
                        # a plan's list of its indicators (4. 取り組み事項を点検するための「数値指標一覧」)
                        "指標一覧", "数値指標", "成果指標", "目標指標", "活動指標", "数値目標")
# The sections of a plan's front chapter (1 計画策定の趣旨, 2 計画期間): a numbered line ending so, with its
# paragraph under it, is no measure (StructureParser._items); not 体制, 課題, 策定 …, which end measures too
# (庁内の協働推進体制, 行動計画の策定)
FRONT_SECTIONS = ("趣旨", "目的", "背景", "位置付け", "位置づけ", "期間", "構成", "理念", "経緯", "見方")
# ... and a heading that opens front matter anywhere in it, or ends as a chapter on how (…にあたって)
_FRONT_MATTER = ("はじめに", "用語", "凡例")
_ON_HOW = re.compile(r"(?:にあたって|に当たって|にあたり|に当たり)$")
_ABOUT = re.compile(r"(?:について|とは)$")
# a policy's own heading with its number (施策3, 基本施策2, 基本目標4, 方針1, 重点施策1)
_NUMBERED_POLICY = re.compile(r"^(?:基本|重点)?(?:施策|目標|方針|政策)[0-9０-９一二三四五六七八九十]+")
# the number or mark a heading opens with (第3章, (1), 1., ①, 1-2, ■)
_HEADING_NUMBER = re.compile(r"^(?:第[0-9一二三四五六七八九十]+[章節部編]|[(（][0-9一二三四五六七八九十]+[)）]|[①-⑳]"
                             r"|[0-9]+(?:[-‐－.．][0-9]+)*[.．、)）]?|[■□◆◇●○・])")


# Sections of reference matter printed after the measures (用語の解説, 策定の経過, 推進委員名簿, 資料編):
# a two-column table under them is a glossary or a history, never measures.
REFERENCE_SECTIONS = ("用語", "資料", "経過", "名簿", "付録", "索引")
# ... and a caption or heading that ends so (市民アンケート結果（抜粋）, 【評価基準】), not one that only holds it
# ((3) 協働事業の評価基準づくり, (4) 市民意識調査結果の活用: measures under them)
_REFERENCE_ENDS = ("アンケート結果", "調査結果", "評価基準", "評価の基準", "判定基準")
_TRAILING_NOTE = re.compile(r"[(（][^()（）]{1,8}[)）]$")


# The plan's appendix (資料編, 参考資料): nothing numbered in it is a measure (1 策定経過, 2 用語解説); and its
# closing chapter on how it is carried out (第5章 計画の推進, 第6章 計画の進行管理), after the measures
# (StructureParser._outline_items: a plan may print its measures in a 第2章 計画の推進)
CLOSING_CHAPTER = re.compile(r"^第[0-9一二三四五六七八九十]+章.*(?:計画の推進(?:体制|方法|に向けて)?|進行管理)$")
_APPENDIX = re.compile(r"^(?:資料編|参考資料|資料|付録|巻末資料)(?:[0-9０-９]*$|[\s　:：])")


def non_measure_section(heading: str) -> bool:
    text = compact(heading)
    if any(w in text for w in _FRONT_MATTER) or _ON_HOW.search(text):
        return True
    if _APPENDIX.match(text):
        return True
    if _NUMBERED_POLICY.match(text):
        return False  # 施策3 推進体制, 基本目標4 協働の推進体制: a numbered part of the plan's own policies
    text = _ABOUT.sub("", _HEADING_NUMBER.sub("", text)).rstrip("のと・」』）)】")
    # (策定 only as the plan's own: 計画の策定, 計画策定; 協働指針の策定 is a measure's heading)
    return text.endswith(NON_MEASURE_SECTIONS) or bool(re.search(r"計画の?策定$", text))


def reference_matter(heading: str) -> bool:
    """Whether a heading or a table's caption opens reference matter (用語の解説, 策定の経過, 推進委員名簿)."""
    end = _TRAILING_NOTE.sub("", compact(heading).strip("【】[]■□◆◇●○・"))
    return any(w in heading for w in REFERENCE_SECTIONS) or end.endswith(_REFERENCE_ENDS)


def reference_section(heading: str) -> bool:
    """Whether a heading or a table's caption opens a section whose rows are no measures (趣旨, 凡例 …,
    or reference matter)."""
    return non_measure_section(heading) or reference_matter(heading)
