"""Reader for .txt/.md plan documents (in the encodings text.encoding reads): tab-separated and Markdown table rows."""
from __future__ import annotations

import re
from pathlib import Path

from ..messages import input_error
from ..model import Block, Source
from ..settings import ReadSettings
from ..text.encoding import decode, tsv_records

_LINE_END = re.compile(r"\r\n|\r|\n")
_MD_HEADING = re.compile(r"^(#{1,6})[ \u3000]+(\S.*?)[ #]*$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def read(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a text file: a line of running text each, or a table row for tab/Markdown rows."""
    text = decode(data)
    if not text.replace("\x00", "").strip():  # NUL bytes only (a file zeroed by a failed copy) is empty too
        raise input_error("text.empty")
    blocks: list[Block] = []
    table = 0
    row = 0
    in_table = False
    for number, line, tab_cells in _without_web_furniture(_records(text)):
        cells: list[str] | None = None
        stripped = line.strip()
        if tab_cells is not None:
            cells = tab_cells
        elif stripped.startswith("|") and stripped.count("|") >= 2:
            if _MD_SEPARATOR.match(stripped):
                continue
            cells = [c for c in stripped.strip("|").split("|")]
        if cells is not None and not stripped:
            continue  # a row of blank cells (\t\t from a spreadsheet): nothing to read, the table goes on
        if cells is None:
            in_table = False
            heading = _MD_HEADING.match(stripped)
            if heading:  # a Markdown heading (## 基本方針1 …): a heading of its level, as Word's 見出し N
                level = len(heading.group(1))  # (the file's first line in # is its title)
                blocks.append(Block(text=heading.group(2), source=Source(path=str(path), sha256=sha256, line=number),
                                    level=None if level == 1 and not blocks else level))
            elif stripped:
                blocks.append(Block(text=line, source=Source(path=str(path), sha256=sha256, line=number)))
            continue
        if not in_table:
            table += 1
            row = 0
            in_table = True
            first = len(blocks)  # the table's header row
            numbered = True  # every row under it so far opens with a number (No.)
        row += 1
        src = Source(path=str(path), sha256=sha256, line=number, table=table, row=row)
        if len(blocks) - first >= 2 and _rest_of_row(blocks[-1].cells, cells, len(blocks[first].cells), numbered):
            # a cell with a line break, copied from a browser (<br>): the row goes on on the next line
            prev = blocks[-1]
            joined = (*prev.cells[:-1], f"{prev.cells[-1]}\n{cells[0]}", *cells[1:])
            blocks[-1] = Block(text="\t".join(c or "" for c in joined), source=prev.source, cells=joined)
            row -= 1
            continue
        if len(blocks) > first:
            numbered = numbered and (cells[0] or "").strip().isdigit()
        blocks.append(Block(text=line, source=src, cells=tuple(cells)))
    return blocks, None


# A city web page copied into a text file: the page's furniture, never the plan's.
# Lines that end the page's text (the contact box, link lists, a survey of the page), and where they
# are not sure to be the web page's own, the lines that show it is one.
_PAGE_BOXES = frozenset({"このページに関するお問い合わせ", "このページに関するお問合せ", "このページに関するお問い合わせ先",
                         "このカテゴリーの他のページ", "よく見られているページ", "このページの情報は役に立ちましたか",
                         "このページの内容は分かりやすかったですか"})  # (a web page's own, and where its text ends)
_WEB_END = _PAGE_BOXES | {"関連ファイル", "関連情報", "関連リンク", "関連ページ", "お問い合わせ", "お問合せ", "お問い合わせ先"}
_WEB_SURE = _PAGE_BOXES | {"このページの先頭へ", "ページの先頭へ戻る"}
_WEB_LINE = re.compile(
    r"^(?:ページの先頭です。?(?:\s+メニューを飛ばして本文へ)?|メニューを飛ばして本文へ|本文へ|本文|"
    r"(?:印刷用ページを表示する|印刷ページ表示)(?:\s+(?:最終)?更新日.*)?|印刷|"
    r"ページ番号\s*[:：]?\s*\d+|ページID\s*[:：]?\s*\d+|(?:最終)?更新日\s*[:：].*|Adobe Reader.*|"
    r"PDF形式のファイルをご覧いただく場合には.*|https?://\S+|(?:この)?ページの先頭へ(?:戻る)?|ページトップへ(?:戻る)?|"
    r"(?:現在地|現在のページ|ホーム|トップページ)\s*.*(?:\s[>＞»]\s.*){2,})$")


def _without_web_furniture(records: list[tuple[int, str, list[str] | None]]) -> list[tuple[int, str, list[str] | None]]:
    """records without a copied web page's furniture: the breadcrumb, 更新日, 印刷, URL and Adobe lines,
    and everything from the contact box or a link list on (このページに関するお問い合わせ, 関連ファイル,
    このカテゴリーの他のページ, よく見られているページ). Only in a file that shows it is a web page (one of
    its sure lines, or two furniture lines): a plan's own text file is read as written."""
    texts = [_compact_line(line) if cells is None else None for _, line, cells in records]  # (None: a table row)
    # (URLs alone are no sign: a plan's own text may list a few under 関連情報)
    furniture = {t[:4] for t in texts if t is not None and _WEB_LINE.match(t) and not _URL.match(t)}  # (kinds)
    if not any(t in _WEB_SURE for t in texts) and len(furniture) < 2:
        return records
    # the last ページの先頭へ戻る ends the page's text too (the site's footer follows); the others are dropped
    tops = [k for k, t in enumerate(texts) if t is not None and _TOP.match(t)]
    out: list[tuple[int, str, list[str] | None]] = []
    for k, (record, text) in enumerate(zip(records, texts)):
        number, line, cells = record
        if text in _WEB_END or (tops and k == tops[-1]):
            break
        if text is not None and _WEB_LINE.match(text):
            continue
        if cells is None and _EXTERNAL.search(line):
            record = (number, _EXTERNAL.sub("", line), cells)  # 市民活動サポートセンター<外部リンク>: the link's mark
        out.append(record)
    return out


_URL = re.compile(r"^https?://")
_TOP = re.compile(r"^(?:この)?ページの先頭へ(?:戻る)?$|^ページトップへ(?:戻る)?$")
_EXTERNAL = re.compile(r"\s*[<＜‹〈]外部リンク[>＞›〉]")


def _compact_line(line: str) -> str:
    return _GAPS.sub(" ", line).strip()


_GAPS = re.compile(r"[ \u3000\t]+")


def _records(text: str) -> list[tuple[int, str, list[str] | None]]:
    """The file's lines (number, text, and the cells of a tab-separated row, else None), a row as Excel
    saves it (「テキスト (タブ区切り)」): a cell in quotes may span lines (Alt+Enter) and is one cell. Lines
    end at CR/LF only: str.splitlines also breaks at form feeds, NEL and U+2028, which a cell may hold
    (clean makes them line breaks inside the cell) and which must not split a row."""
    out: list[tuple[int, str, list[str] | None]] = []
    for record in tsv_records(text.removesuffix("\n")):
        raw = record.raw.rstrip("\r\n")
        if len(record.cells) > 1:
            out.append((record.line, raw, record.cells))
            continue
        for k, line in enumerate(_LINE_END.split(raw)):  # (one cell: the lines as written)
            out.append((record.line + k, line, line.split("\t") if "\t" in line else None))
    return out


def _rest_of_row(last: tuple[str | None, ...], cells: list[str], width: int, numbered: bool) -> bool:
    """Whether cells are the rest of the table's last row (last), broken by a line break in one of its
    cells (a browser's copy of a cell with <br>): that row and these are each short of the header's width
    by as many as make one row together, and neither is complete. numbered: the table's rows open with a
    number (No.), which the rest of a row does not."""
    if not (len(last) < width and len(cells) < width and len(last) + len(cells) - 1 == width):
        return False
    broken = (last[-1] or "").strip()
    if not broken or not cells[0].strip() or broken.endswith(("。", ".")):
        return False  # (a short row of its own: its last cell ends a sentence, or is blank)
    return not (numbered and cells[0].strip().isdigit())
