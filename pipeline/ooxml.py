"""Office Open XML names in one place (python-docx's docx/oxml/ns.py is the model): the
WordprocessingML namespace and qn('w:tag') for every module that reads or writes Word XML."""
from __future__ import annotations

from docx.oxml.ns import nsdecls, qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"  # Clark prefix: W + "p" is the tag of a paragraph

__all__ = ["W", "W_NS", "nsdecls", "qn"]
