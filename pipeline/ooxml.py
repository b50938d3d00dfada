"""Office Open XML names in one place (python-docx's docx/oxml/ns.py is the model): the
WordprocessingML namespace and qn('w:tag') for every module that reads or writes Word XML."""
from __future__ import annotations

from collections.abc import Sequence

from docx.oxml.ns import nsdecls, qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"  # Clark prefix: W + "p" is the tag of a paragraph

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
# Custom properties that carry the 新規候補 from one year's draft to the next: those a draft suggests,
# and those the planner declined in earlier years.
SUGGESTED = "plandraft 候補"
DECLINED = "plandraft 不採用"


def read_custom(data: bytes) -> list[tuple[str, str]]:
    """(name, text) of a .docx's custom properties, in order ([] when it has none or they cannot be
    read)."""
    import io
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "docProps/custom.xml" not in z.namelist() or z.getinfo("docProps/custom.xml").file_size > 4_000_000:
                return []
            root = ElementTree.fromstring(z.read("docProps/custom.xml"))
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError):
        return []
    return [(prop.get("name") or "", next((child.text or "" for child in prop), ""))
            for prop in root.findall(f"{{{CUSTOM_NS}}}property")]


def candidate_memory(data: bytes, kept: Sequence[str]) -> tuple[str, ...]:
    """The 新規候補 a .docx plandraft drafted says it suggested, and those declined before it, that
    are not among kept (the measures the plan holds, by name): the ones the planner declined."""
    from .text.similarity import strip_noise

    held = {strip_noise(n) for n in kept}
    out: dict[str, None] = {}
    for name, value in read_custom(data):
        if name.startswith((SUGGESTED + " ", DECLINED + " ")) and value and strip_noise(value) not in held:
            out[value] = None
    return tuple(out)


__all__ = ["CUSTOM_NS", "DECLINED", "SUGGESTED", "W", "W_NS", "candidate_memory", "nsdecls", "qn", "read_custom"]
