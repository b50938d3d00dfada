"""Page numbers for the table of contents: the rendered draft laid out once by LibreOffice (headless
PDF export) when it is installed, each heading's page read from the PDF's outline. Without LibreOffice
the contents field keeps its headings without numbers, and Word fills them when it updates the field."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..ingest.convert import kill_tree

TIMEOUT = 180  # seconds for one conversion (the first start of LibreOffice makes its profile)


def soffice() -> str | None:
    """The LibreOffice program to run, or None (not installed, or PLANDRAFT_SOFFICE=off): the same
    program the readers convert .doc/.xls with."""
    from ..ingest.convert import soffice as find

    return find()


def to_pdf(document: bytes, program: str | None = None, timeout: float = TIMEOUT, suffix: str = ".docx") -> bytes | None:
    """A .docx (or, by suffix, .xlsx …) laid out and exported as PDF by LibreOffice, or None when it
    is missing, fails or takes longer than timeout. Each call has its own LibreOffice profile, so
    parallel jobs do not wait on each other's lock."""
    program = program or soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="plandraft-lo-") as tmp:
        folder = Path(tmp)
        source = folder / f"document{suffix}"
        source.write_bytes(document)
        cmd = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--invisible",
               "--norestore", "--nologo", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        env = {**os.environ, "HOME": str(folder)}  # nothing of the planner's own LibreOffice is touched
        env.pop("DISPLAY", None)
        group: dict[str, Any] = ({"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
                                 if sys.platform == "win32"
                                 else {"start_new_session": True})  # soffice.bin is stopped with it
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=str(folder), env=env, **group)
        except OSError:
            return None
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_tree(proc)
            return None
        pdf = folder / "document.pdf"
        return pdf.read_bytes() if pdf.is_file() else None


def outline_pages(pdf: bytes) -> list[tuple[str, int]]:
    """(title, page number from 1) of every bookmark in the PDF's outline, in order."""
    import io

    from pdfminer.pdfdocument import PDFDocument, PDFNoOutlines
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, resolve1

    doc = PDFDocument(PDFParser(io.BytesIO(pdf)))
    page_of = {page.pageid: k for k, page in enumerate(PDFPage.create_pages(doc), start=1)}
    out: list[tuple[str, int]] = []
    try:
        for _level, title, dest, action, _se in doc.get_outlines():
            if dest is None and action is not None:
                dest = resolve1(action).get("D")
            dest = resolve1(dest)
            if isinstance(dest, dict):
                dest = resolve1(dest.get("D"))
            if isinstance(dest, list) and dest and isinstance(dest[0], PDFObjRef) and dest[0].objid in page_of:
                out.append((str(title), page_of[dest[0].objid]))
    except PDFNoOutlines:
        return []
    return out


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def heading_pages(headings: Sequence[str], pdf: bytes) -> dict[int, int]:
    """The page of each heading (by its index in headings), matched in order against the outline."""
    marks = [(_key(t), p) for t, p in outline_pages(pdf)]
    out: dict[int, int] = {}
    pos = 0
    for k, heading in enumerate(headings):
        key = _key(heading)
        for j in range(pos, len(marks)):
            if marks[j][0] == key:
                out[k] = marks[j][1]
                pos = j + 1
                break
    return out


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(pdf)))))
