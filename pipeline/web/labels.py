"""Japanese wording of the page: the pipeline's (English) reasons and the matches' structured evidence
as a planner reads them. Presentation only; an unknown message is shown as it is."""
from __future__ import annotations

import re

from ..model import Evidence, Item

ROLE_LABELS = {"outline": "構成案", "plan": "当市の計画", "others": "他市の計画"}
ACTOR_LABELS = {"citizens": "★ 市民", "city": "● 市", "both": "◎ 市民と市"}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "txt": "テキスト", "md": "テキスト"}

# (pattern of the pipeline's reason, Japanese). The reason is "reason (hint)"; the first match wins.
_REASONS: tuple[tuple[str, str], ...] = (
    (r"^empty file", "空のファイルです（正しいファイルか確かめてください）"),
    (r"^unsupported file type", "読めない種類のファイルです（PDF・Word(.docx)・Excel(.xlsx)・テキストにしてください）"),
    (r"^not a PDF", "PDF ではありません（別の形式のファイルの名前だけを変えたものかもしれません）"),
    (r"^PDF has no text layer", "文字情報のない PDF です（スキャン画像なら、先に OCR をかけてください）"),
    (r"^encrypted PDF", "パスワード付きの PDF です（パスワードを外してから入れてください）"),
    (r"^corrupt or truncated PDF|^corrupt PDF", "壊れているか途中までの PDF です（完全なファイルを入手するか、PDF に印刷し直してください）"),
    (r"too large to read", "大きすぎて読めません（いくつかのファイルに分けてください）"),
    (r"^not a valid \.docx|^not a Word document|^corrupt \.docx", "Word 文書(.docx)として読めません（Word で開いて .docx で保存し直してください）"),
    (r"^not a valid \.xlsx|^corrupt .*\.xlsx", "Excel ファイル(.xlsx)として読めません（Excel で開いて .xlsx で保存し直してください）"),
    (r"^unknown text encoding|^broken UTF-16", "文字コードが読めません（UTF-8 で保存し直してください）"),
    (r"^no policy pillars found", "施策の柱が見つかりません（「(1) 柱の名前」のように番号を付けてください）"),
    (r"^not UTF-8 text", "UTF-8 のテキストではありません（UTF-8 の TSV で保存し直してください）"),
    (r"^no column", "見出し行に item と pillar の列がありません"),
    (r"^line \d+: item and pillar are both needed", "項目名と柱の両方が必要な行があります"),
    (r"^cannot read file", "ファイルを開けません（場所と権限を確かめてください）"),
    (r"^could not parse", "読み取り中にエラーになりました（Word や Acrobat で開けるか確かめてください）"),
)

# Where in the outline a term was found (Evidence.where of kind outline, before any ": detail").
_OUTLINE_PLACES = {"title": "柱の名前", "topic": "柱の内容", "description": "柱の説明", "example": "構成案の事例",
                   "detail": "構成案の説明"}
_SIMILARITY_RE = re.compile(r"similarity ([\d.]+)")


def reason(text: str) -> str:
    """A pipeline reason in Japanese (the original when no translation is known)."""
    for pattern, japanese in _REASONS:
        if re.search(pattern, text):
            return japanese
    return text


def evidence(e: Evidence) -> tuple[str, str]:
    """(where, what) of one piece of evidence, from its kind: e.g. ('柱の内容', '職員研修 — 研修')."""
    if e.kind == "outline":
        place, _, detail = e.where.partition(":")
        return _OUTLINE_PLACES.get(place.strip(), "構成案"), f"{e.text}（{detail.strip()}）" if detail.strip() else e.text
    if e.kind == "rule":
        return "分類ルール", f"{e.text}（{e.where}）" if e.where else e.text
    if e.kind == "model":
        return "学習した分類", f"{e.text}（確からしさ {e.weight:.2f}）" if e.text else f"確からしさ {e.weight:.2f}"
    if e.kind == "correction":
        m = _SIMILARITY_RE.search(e.where)
        if m:
            return "似た項目の修正から", f"{e.text}（類似度 {float(m.group(1)):.2f}）"
        return "担当者の修正", "この項目を担当者が修正"
    if e.kind == "none":
        return "根拠なし", "構成案にもルールにも当てはまる語がありません（学習した分類による仮置き）"
    return "", e.text


def pillar_label(number: int | None, titles: dict[int, str]) -> str:
    if number is None:
        return "—"
    return f"({number}) {titles.get(number, '')}".strip()


def provenance(item: Item) -> str:
    """Where the item is in its file, in Japanese: 'plan.pdf 4ページ 表1 2行目'."""
    s = item.source
    parts = [s.path.replace("\\", "/").rsplit("/", 1)[-1]]
    if s.page is not None:
        parts.append(f"{s.page}ページ")
    if s.table is not None:
        parts.append(f"表{s.table}")
    if s.row is not None:
        parts.append(f"{s.row}行目")
    elif s.line is not None:
        parts.append(f"{s.line}行目")
    return " ".join(parts)
