"""Write every setting of pipeline/settings.py, with its default and its comment, into the commented
block at the end of inputs/plandraft.toml (between the two marker lines), so the shipped file
documents every threshold a planner can change. `--check` exits 1 if the block is out of date.

    python scripts/document_settings.py [--check] [TOML]
"""
from __future__ import annotations

import argparse
import dataclasses
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import settings  # noqa: E402

BEGIN = "# ---- settings: every key with its default (uncomment a line to change it) ----"
END = "# ---- end of settings ----"
_FIELD = re.compile(r"^\s{4}(\w+):\s*[^=]+?(?:=\s*(.+?))?\s*(?:#\s*(.*))?$")


def _comments(kind: type) -> dict[str, str]:
    """field → the comment beside it or the comment lines just above it, from the class's source."""
    out: dict[str, str] = {}
    above: list[str] = []
    for line in inspect.getsource(kind).splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("#"):
            above.append(stripped.lstrip("# ").strip())
            continue
        m = _FIELD.match(line)
        if m and not stripped.startswith(("def ", "@", '"""')):
            beside = m.group(3) or ""
            out[m.group(1)] = " ".join(x for x in (" ".join(above), beside) if x)
        above = []
    return out


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return repr(value)


def block() -> str:
    """The commented settings block, one [table] per section."""
    lines = [BEGIN]

    def section(kind: type, name: str) -> None:
        doc = (kind.__doc__ or "").strip().splitlines()[0]
        lines.extend(["#", f"# [{name}]  {doc}"])
        notes = _comments(kind)
        default = kind()
        subs = []
        for f in dataclasses.fields(kind):
            sub = settings._SUB.get((kind, f.name))
            if sub is not None:
                subs.append((sub, f"{name}.{f.name}"))
                continue
            note = notes.get(f.name, "")
            lines.append(f"# {f.name} = {_toml(getattr(default, f.name))}" + (f"  # {note}" if note else ""))
        for sub, sub_name in subs:
            section(sub, sub_name)

    for name, kind in settings.SECTIONS.items():
        section(kind, name)
    lines.append(END)
    return "\n".join(lines) + "\n"


def updated(text: str) -> str:
    """text with its settings block replaced (or added at the end)."""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        return head + block() + tail
    return text.rstrip("\n") + "\n\n" + block()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("toml", nargs="?", default=str(ROOT / "inputs" / "plandraft.toml"))
    parser.add_argument("--check", action="store_true", help="exit 1 if the block is out of date")
    args = parser.parse_args(argv)
    path = Path(args.toml)
    text = path.read_text("utf-8")
    new = updated(text)
    if args.check:
        if new != text:
            print(f"{path}: settings block out of date (run scripts/document_settings.py)", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
