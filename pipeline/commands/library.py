"""`plandraft library`: the library of every measure ingested (add, list, remove, import, export)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import library
from ..errors import EXIT_OK, EXIT_PARTIAL, InputError, OutputError, UsageError
from ..files import file_sha256
from ..job import add_outline_to_library, make_matcher
from ..library import Library
from ..messages import input_error, text
from ..output import metadata
from ..settings import default_corrections
from ._common import (
    Console,
    add_example,
    add_library_option,
    emit,
    ingest_reporting,
    open_library,
    read_outline_or_fail,
    require_files,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("library", help=text("help.library_command"),
                       description=text("help.library_command.description", path=Library.DEFAULT_PATH))
    add_example(p, "plandraft library add inputs/ --outline inputs/outline_計画の構成案.txt",
                "plandraft library add 安城市_plan.pdf --city 安城市", "plandraft library list",
                "plandraft library remove --city 安城市", "plandraft library export 県内の事例.csv",
                "plandraft library import 県内の事例.csv")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("add", help=text("help.library.add"))
    a.add_argument("paths", nargs="*", metavar="PATH", help=text("help.match.plans"))
    a.add_argument("--city", help=text("help.library.add.city"))
    a.add_argument("--outline", metavar="OUTLINE", help=text("help.library.add.outline"))
    a.add_argument("--corrections", metavar="TSV", help=text("help.compare.corrections"))
    a.add_argument("--no-cache", action="store_true", help=text("help.no_cache_all"))
    a.add_argument("--json", action="store_true", help=text("help.json_summary"))
    add_library_option(a)
    add_example(a, "plandraft library add others/ --outline inputs/outline_計画の構成案.txt")
    a.set_defaults(func=run_add)

    ls = actions.add_parser("list", help=text("help.library.list"))
    ls.add_argument("--json", action="store_true", help=text("help.json"))
    add_library_option(ls)
    add_example(ls, "plandraft library list --json")
    ls.set_defaults(func=run_list)

    rm = actions.add_parser("remove", help=text("help.library.remove"))
    rm.add_argument("paths", nargs="*", metavar="PATH", help=text("help.library.remove.paths"))
    rm.add_argument("--city", action="append", default=[], help=text("help.library.remove.city"))
    rm.add_argument("--json", action="store_true", help=text("help.json_summary"))
    add_library_option(rm)
    add_example(rm, "plandraft library remove old_plan.pdf", "plandraft library remove --city 安城市")
    rm.set_defaults(func=run_remove)

    im = actions.add_parser("import", help=text("help.library.import"))
    im.add_argument("file", metavar="FILE", help=text("help.library.import.file"))
    im.add_argument("--json", action="store_true", help=text("help.json_summary"))
    add_library_option(im)
    add_example(im, "plandraft library import 県内の事例.csv", "plandraft library import shared.json --json")
    im.set_defaults(func=run_import)

    ex = actions.add_parser("export", help=text("help.library.export"))
    ex.add_argument("file", metavar="FILE", help=text("help.library.export.file"))
    ex.add_argument("--force", action="store_true", help=text("help.library.export.force"))
    ex.add_argument("--json", action="store_true", help=text("help.json_summary"))
    add_library_option(ex)
    add_example(ex, "plandraft library export 県内の事例.csv", "plandraft library export shared.json --force")
    ex.set_defaults(func=run_export)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), 2)[1])


def run_add(args: argparse.Namespace) -> int:
    console = Console()
    if not args.paths and not args.outline:
        raise UsageError(text("library.add_nothing"))
    if args.outline:
        require_files([args.outline], "outline")
    added: list[dict[str, Any]] = []
    with open_library(args.library, create=True) as lib:
        outline_path = args.outline or lib.get_meta("outline")
        if outline_path and not Path(outline_path).is_file():
            console.error(text("library.outline_gone", path=outline_path))
            outline_path = None
        matcher = outline_sha = None
        if outline_path:
            outline = read_outline_or_fail(outline_path)
            outline_sha = outline.sha256
            matcher = make_matcher(outline, args.corrections or default_corrections(Path(outline_path).parent))
            n = add_outline_to_library(lib, outline, matcher)
            lib.set_meta("outline", str(outline_path))
            added.append({"path": outline_path, "kind": "outline", "items": n})
        docs, errors = ingest_reporting(args.paths, console, use_cache=not args.no_cache) if args.paths else ([], [])
        for doc in docs:
            matches = matcher.match_items(list(doc.items)) if matcher else []
            with lib.atomic():
                lib.add_document(doc, matches, city=args.city, outline_sha256=outline_sha)
            added.append({"path": doc.path, "kind": "plan", "city": args.city or doc.city, "items": len(doc.items)})
        total = lib.count()
    if args.json:
        emit({"library": args.library, "added": added, "errors": errors, "items": total, "metadata": metadata()}, None)
    else:
        for a in added:
            what = "例" if a["kind"] == "outline" else (a.get("city") or "市町村不明")
            sys.stdout.write(text("library.added", path=a["path"], what=what, count=a["items"]) + "\n")
        sys.stdout.write(text("library.total", path=args.library, count=total) + "\n")
    return EXIT_PARTIAL if errors else EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    with open_library(args.library) as lib:
        docs = lib.documents()
        cities = lib.cities()
    if args.json:
        emit({"library": args.library,
              "cities": [{"city": c, "documents": d, "items": n} for c, d, n in cities],
              "documents": docs}, None)
        return EXIT_OK
    lines = [text("library.summary", path=args.library, items=sum(n for _, _, n in cities), documents=len(docs),
                  cities=len([c for c, _, _ in cities if c]))]
    for c, d, n in cities:
        lines.append("  " + text("library.city" if d != 1 else "library.city.one", city=c or "(市町村なし)", items=n,
                                 documents=d))
    lines.append(text("library.documents"))
    for doc in docs:
        where = doc.city or "、".join(c or "(なし)" for c, _ in doc.cities)
        year = f" {doc.fiscal_label}" if doc.fiscal_label else ""
        lines.append("  " + text("library.document", path=doc.path, where=where, year=year, items=doc.items,
                                 kind=doc.kind))
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    console = Console()
    if not args.paths and not args.city:
        raise UsageError(text("library.remove_nothing"))
    missing = 0
    removed: list[dict[str, Any]] = []
    with open_library(args.library) as lib:
        for path in args.paths:
            sha = file_sha256(path) if Path(path).is_file() else None
            docs, n = lib.remove(path=path, sha256=sha)
            if docs == 0:
                console.error(text("library.not_in", path=path))
                missing += 1
            else:
                removed.append({"path": path, "items": n})
        for city in args.city:
            _, n = lib.remove(city=city)
            if n == 0:
                console.error(text("library.no_city", city=city))
                missing += 1
            else:
                removed.append({"city": city, "items": n})
    if args.json:
        emit({"library": args.library, "removed": removed, "not_found": missing}, None)
    else:
        for r in removed:
            sys.stdout.write(text("library.removed", what=r.get("path") or r.get("city"), count=r["items"]) + "\n")
    return EXIT_PARTIAL if missing else EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    console = Console()
    require_files([args.file], "file")
    errors: list[InputError] = []

    def bad_row(exc: InputError) -> None:
        errors.append(exc)
        console.error(exc.line())

    rows = library.read_exchange(args.file, bad_row)
    with open_library(args.library, create=True) as lib:
        added, merged = library.import_rows(lib, rows)
        total = lib.count()
    if args.json:
        emit({"library": args.library, "file": args.file, "added": added, "merged": merged,
              "errors": [e.line() for e in errors], "items": total}, None)
    else:
        skipped = text("library.rows_skipped", count=len(errors)) if errors else ""
        sys.stdout.write(text("library.imported", path=args.file, added=added, merged=merged) + skipped + "\n"
                         + text("library.total", path=args.library, count=total) + "\n")
    return EXIT_PARTIAL if errors else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    if Path(args.file).suffix.lower() not in (".csv", ".json"):
        raise UsageError(text("library.export_type", path=args.file))
    if Path(args.file).exists() and not args.force:
        raise UsageError(text("library.export_exists", path=args.file))
    with open_library(args.library) as lib:
        rows = library.export_rows(lib)
    try:
        library.write_exchange(args.file, rows)
    except OSError as exc:
        error = input_error("output.cannot_write", reason=exc.strerror or exc)
        raise OutputError(args.file, error.reason, error.hint) from exc
    if args.json:
        emit({"library": args.library, "file": args.file, "measures": len(rows)}, None)
    else:
        sys.stdout.write(text("library.exported", path=args.file, count=len(rows)) + "\n")
    return EXIT_OK
