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
    ("chapter", re.compile(r"^(第\s*[0-9一二三四五六七八九十]{1,3}\s*[章編部])(?:\s+|\u3000)(.{1,60})$")),
    ("section", re.compile(r"^(第\s*[0-9一二三四五六七八九十]{1,3}\s*節)(?:\s+|\u3000)(.{1,60})$")),
    ("policy", re.compile(r"^((?:基本)?(?:施策|目標|方針|方策|推進方策)\s*[0-9一二三四五六七八九十]{1,2})\s*[:：.．、)）]?\s*(.*)$")),
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
# 名前：内容 in one line (協働出前講座の開催：自治会等へ出向いて…); a time (10:00) is not the colon.
_NAME_CONTENT = re.compile(r"^([^：:。]{2,60}?)\s*(?<!\d)[：:](?!\d)\s*(.+)$")
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


def label_line(text: str) -> tuple[str, str] | None:
    """'取り組みの内容：…' → (label, value): a line that describes the item above it."""
    m = _LABEL_LINE.match(text.strip())
    return (m.group(1).strip(), m.group(2).strip()) if m else None


def attribute_role(label: str) -> str | None:
    """The role a 'label：' line gives the item above it (担当課 → departments, 取り組みの内容 → content,
    区分, 目標, 令和6年度 …; "description" for 主な担い手, 実施場所 …), or None when the label is a
    measure's own name (協働事業提案制度：…, though 事業 is a column word)."""
    word = compact(label).strip("【】[]()（）■□◆◇●○・")
    if word in EXACT_WORDS:
        return EXACT_WORDS[word]
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


def split_name_content(text: str) -> tuple[str, str]:
    """'名前：内容' → (name, content) when the name is not an attribute label; else (text, '')."""
    m = _NAME_CONTENT.match(text.strip())
    if m is None or is_attribute_label(m.group(1)):
        return text, ""
    return m.group(1).strip(), m.group(2).strip()


def is_sentence(text: str) -> bool:
    """Running text rather than a measure's name: it ends a sentence."""
    return text.rstrip().endswith(("。", "ます", "です"))


# Section headings whose lines are not measures (the aim, background, steps, legend …).
NON_MEASURE_SECTIONS = ("趣旨", "目的", "背景", "位置付け", "位置づけ", "理念", "現状", "課題", "手順", "流れ",
                        "凡例", "テーマ", "問合せ", "問い合わせ", "用語", "経緯", "策定", "体制", "期間", "基本方針",
                        "はじめに", "概要", "めざすまちの姿", "目指す姿", "進め方", "評価の方法")


def non_measure_section(heading: str) -> bool:
    return any(w in heading for w in NON_MEASURE_SECTIONS)
