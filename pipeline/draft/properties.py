"""Document properties of a rendered .docx: the core ones (title, author …: at most 255 characters
each, or python-docx refuses to write them) and custom ones (ファイル → プロパティ → ユーザー設定) that
carry the full provenance, one input file per property, however many inputs there are."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from ..ooxml import CUSTOM_NS, DECLINED, SUGGESTED

MAX_PROPERTY = 255  # characters in a core property (python-docx, Word's property dialog)
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one every user-defined property uses


def fit(text: str, limit: int = MAX_PROPERTY) -> str:
    """text cut to limit characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def set_core(document: Any, properties: dict[str, str]) -> None:
    """Core properties of a python-docx Document: created/modified now, last modified by plandraft,
    and each of properties cut to the limit."""
    props = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.created = props.modified = now
    props.last_modified_by = "plandraft"
    for key, value in properties.items():
        setattr(props, key, fit(value))


def custom_xml(properties: Sequence[tuple[str, str]]) -> bytes:
    """docProps/custom.xml holding properties as text (each name and value within the limit)."""
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(fit(name), {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(fit(value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties, start=2))  # pid 0 and 1 are reserved
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>').encode()


def set_custom(document: Any, properties: Sequence[tuple[str, str]]) -> None:
    """The document's custom properties replaced by properties (a part added if it has none)."""
    package = document.part.package
    blob = custom_xml(properties)
    for rel in package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            rel.target_part._blob = blob
            return
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def candidate_properties(suggested: Sequence[str], declined: Sequence[str]) -> list[tuple[str, str]]:
    """(name, value) of one custom property per candidate: 'plandraft 候補 1' …, 'plandraft 不採用 1' …
    (read back by ooxml.candidate_memory)."""
    return [*((f"{SUGGESTED} {k}", n) for k, n in enumerate(suggested, 1)),
            *((f"{DECLINED} {k}", n) for k, n in enumerate(declined, 1))]
