"""`plandraft library`: the library of every measure ingested (add, list, remove)."""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

from .. import library
from ..errors import EXIT_OK, EXIT_PARTIAL, InputError, UsageError
from ..job import add_outline_to_library, file_sha256, make_matcher
from ..output import metadata
from ._common import Console, add_example, emit, ingest_reporting, read_outline_or_fail, require_files


def add_library_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--library", metavar="PATH", default=str(library.DEFAULT_PATH),
                   help=f"the library file (default: {library.DEFAULT_PATH})")


def open_existing(path: str) -> sqlite3.Connection:
    """The library at path; UsageError if there is none, InputError (with .path) if it is unreadable."""
    try:
        return library.open_library(path, create=False)
    except FileNotFoundError:
        raise UsageError(f"no library at {path} (add plans first: plandraft library add PLAN...)") from None
    except InputError as exc:
        exc.at(path)
        raise


def open_or_create(path: str) -> sqlite3.Connection:
    try:
        return library.open_library(path)
    except InputError as exc:
        exc.at(path)
        raise


def default_corrections(outline_path: str) -> str | None:
    """corrections.tsv beside the outline, if there is one."""
    p = Path(outline_path).parent / "corrections.tsv"
    return str(p) if p.is_file() else None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("library", help="the library of every measure ingested: add, list, remove",
                       description="Keep every plan's measures in one SQLite file (default "
                       f"{library.DEFAULT_PATH}) to search (plandraft search) and compare with (plandraft compare). "
                       "Adding the same file again updates it, never duplicates it.")
    add_example(p, "plandraft library add inputs/ --outline inputs/outline_計画の構成案.txt",
                "plandraft library add 安城市_plan.pdf --city 安城市", "plandraft library list",
                "plandraft library remove --city 安城市")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("add", help="add plans (files or folders) and the outline's example projects")
    a.add_argument("paths", nargs="*", metavar="PATH", help="plan files or folders")
    a.add_argument("--city", help="the municipality of these plans (default: read from each plan)")
    a.add_argument("--outline", metavar="OUTLINE", help="match measures to this outline's pillars and add its "
                   "example projects (default: the outline last used with this library)")
    a.add_argument("--corrections", metavar="TSV", help="a planner's corrections for the matcher "
                   "(default: corrections.tsv beside the outline)")
    a.add_argument("--no-cache", action="store_true", help="parse every file again")
    a.add_argument("--json", action="store_true", help="print a JSON summary to stdout")
    add_library_option(a)
    add_example(a, "plandraft library add others/ --outline inputs/outline_計画の構成案.txt")
    a.set_defaults(func=run_add)

    ls = actions.add_parser("list", help="cities, documents and item counts")
    ls.add_argument("--json", action="store_true", help="print JSON to stdout")
    add_library_option(ls)
    add_example(ls, "plandraft library list --json")
    ls.set_defaults(func=run_list)

    rm = actions.add_parser("remove", help="remove documents (by path) or every measure of a city")
    rm.add_argument("paths", nargs="*", metavar="PATH", help="documents to remove (as added, or the same file)")
    rm.add_argument("--city", action="append", default=[], help="remove every measure of this city (repeatable)")
    add_library_option(rm)
    add_example(rm, "plandraft library remove old_plan.pdf", "plandraft library remove --city 安城市")
    rm.set_defaults(func=run_remove)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), 2)[1])


def run_add(args: argparse.Namespace) -> int:
    console = Console()
    if not args.paths and not args.outline:
        raise UsageError("give plan files or folders to add, or --outline OUTLINE")
    if args.outline:
        require_files([args.outline], "outline")
    conn = open_or_create(args.library)
    outline_path = args.outline or library.get_meta(conn, "outline")
    if outline_path and not Path(outline_path).is_file():
        console.error(f"{outline_path}: the library's outline is gone; measures are added without pillars "
                      "(give --outline OUTLINE)")
        outline_path = None
    outline = matcher = outline_sha = None
    added: list[dict[str, Any]] = []
    if outline_path:
        outline = read_outline_or_fail(outline_path)
        outline_sha = file_sha256(outline_path)
        matcher = make_matcher(outline, args.corrections or default_corrections(outline_path))
        n = add_outline_to_library(conn, outline, outline_sha, matcher)
        library.set_meta(conn, "outline", str(outline_path))
        added.append({"path": outline_path, "kind": "outline", "items": n})
    docs, errors = ingest_reporting(args.paths, console, use_cache=not args.no_cache) if args.paths else ([], [])
    for doc in docs:
        matches = matcher.match_items(list(doc.items)) if matcher else []
        library.add_document(conn, doc, matches, city=args.city, outline_sha256=outline_sha)
        added.append({"path": doc.path, "kind": "plan", "city": args.city or doc.city, "items": len(doc.items)})
    total = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    conn.close()
    if args.json:
        emit({"library": args.library, "added": added, "errors": errors, "items": total, "metadata": metadata()}, None)
    else:
        for a in added:
            what = "例" if a["kind"] == "outline" else (a.get("city") or "市町村不明")
            sys.stdout.write(f"added {a['path']}: {what}, {a['items']} items\n")
        sys.stdout.write(f"{args.library}: {total} measures\n")
    return EXIT_PARTIAL if errors else EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    conn = open_existing(args.library)
    docs = library.documents(conn)
    cities = library.cities(conn)
    conn.close()
    if args.json:
        emit({"library": args.library,
              "cities": [{"city": c, "documents": d, "items": n} for c, d, n in cities],
              "documents": docs}, None)
        return EXIT_OK
    lines = [f"{args.library}: {sum(n for _, _, n in cities)} measures, {len(docs)} documents, "
             f"{len([c for c, _, _ in cities if c])} cities"]
    for c, d, n in cities:
        lines.append(f"  {c or '(市町村なし)'}: {n} items in {d} document{'s' if d != 1 else ''}")
    lines.append("documents:")
    for doc in docs:
        where = doc.city or "、".join(c or "(なし)" for c, _ in doc.cities)
        year = f" {doc.fiscal_label}" if doc.fiscal_label else ""
        lines.append(f"  {doc.path} — {where}{year}, {doc.items} items ({doc.kind})")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    console = Console()
    if not args.paths and not args.city:
        raise UsageError("give documents to remove, or --city CITY")
    conn = open_existing(args.library)
    missing = 0
    for path in args.paths:
        sha = file_sha256(path) if Path(path).is_file() else None
        docs, n = library.remove(conn, path=path, sha256=sha)
        if docs == 0:
            console.error(f"{path}: not in the library (plandraft library list shows what is)")
            missing += 1
        else:
            sys.stdout.write(f"removed {path}: {n} items\n")
    for city in args.city:
        _, n = library.remove(conn, city=city)
        if n == 0:
            console.error(f"{city}: no measures of this city in the library")
            missing += 1
        else:
            sys.stdout.write(f"removed {city}: {n} items\n")
    conn.close()
    return EXIT_PARTIAL if missing else EXIT_OK
