"""`plandraft sheet`: the 進行管理シート of a plan as adopted, for the 担当課 to fill in during its year.

`run` and `draft` write the sheet of the draft as plandraft made it. The plan the council adopts is
that draft as the planner finished it (measures added, dropped, renumbered, reworded): its sheet is
made from the adopted file, so the results the 担当課 write on it link back to its measures next year."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..draft.records import CANDIDATE
from ..errors import EXIT_OK, EXIT_PARTIAL, UsageError
from ..ingest import ingest_paths
from ..messages import input_error, text
from ..model import FiscalYear
from ..output import backup, write_atomic
from ..progress.sheet import plan_sheet, sheet_bytes, sheet_name
from ..text.normalize import fiscal_year_label, parse_year_arg
from ._common import Console, add_example, emit, require_files


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("sheet", help=text("help.sheet"), description=text("help.sheet.description"))
    p.add_argument("plan", metavar="PLAN", help=text("help.sheet.plan"))
    p.add_argument("--year", metavar="YEAR", help=text("help.sheet.year"))
    p.add_argument("-o", "--output", default="outputs", metavar="DIR", help=text("help.output_folder"))
    p.add_argument("--json", action="store_true", help=text("help.json_summary"))
    p.add_argument("--no-cache", action="store_true", help=text("help.no_cache_all"))
    add_example(p, "plandraft sheet 令和8年度_市民協働推進アクションプラン.docx -o outputs",
                "plandraft sheet adopted_plan.pdf --year 令和8年度 -o outputs")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    require_files([args.plan], "input")
    year = None
    if args.year:
        try:
            number = parse_year_arg(args.year)
        except ValueError as exc:
            raise UsageError(text("cli.bad_year", reason=exc)) from exc
        year = FiscalYear(fiscal_year_label(number), number)
    console = Console()
    docs, errors = ingest_paths([args.plan], use_cache=not args.no_cache, workers=1,
                                on_error=lambda p, e: console.error(e.line(p)), progress=console.progress)
    if not docs:  # said above, in one line naming the file
        if args.json:
            emit({"plan": str(args.plan), "errors": errors, "output": None}, None)
        return EXIT_PARTIAL
    doc = docs[0]
    if not doc.plan_like:  # a budget book or a statistics sheet: no measures to report on
        console.error(text("ingest.not_plan", path=args.plan, why="; ".join(doc.warnings) or text("ingest.no_measures"))
                      + text("sheet.not_plan_hint"))
        if args.json:
            emit({"plan": str(args.plan), "errors": [], "output": None, "not_plan": True}, None)
        return EXIT_PARTIAL
    if year is None and doc.fiscal_year is None:
        raise input_error("sheet.no_year").at(args.plan)
    if year is not None and doc.fiscal_year is not None and doc.fiscal_year.year != year.year:
        console.error(text("sheet.other_year", path=args.plan, said=doc.fiscal_year.label, year=year.label))
    plan, rows = plan_sheet(doc, year)
    if not rows:
        raise input_error("sheet.no_measures").at(args.plan)
    undecided = sum(1 for i in doc.items if CANDIDATE in i.tags)
    target = Path(args.output) / sheet_name(plan)
    data = sheet_bytes(plan, rows, text("sheet.provenance", "ja", path=Path(args.plan).name))  # (the sheet is Japanese)
    # A sheet already there may hold what a 担当課 wrote: kept as a .bak first. (Not recorded as
    # plandraft's own, so a later run that writes a sheet of that year backs this one up too.)
    kept = backup(target) if target.is_file() and not _same_cells(target.read_bytes(), data) else None
    write_atomic(target, data)
    summary = {"plan": str(args.plan), "year": plan.year_label, "measures": len(rows), "undecided": undecided,
               "output": str(target), "backup": str(kept) if kept else None}
    if args.json:
        emit(summary, None)
    else:
        lines = [text("sheet.made", year=plan.year_label, count=len(rows), path=args.plan),
                 *([text("sheet.undecided", count=undecided)] if undecided else []),
                 text("output.wrote", path=target)]
        if kept:
            lines.append(text("sheet.backup", path=kept))
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _same_cells(old: bytes, new: bytes) -> bool:
    """Whether two .xlsx hold the same cell values on every sheet (their bytes differ by the time they
    were written): an unchanged sheet of an earlier run needs no .bak."""
    import io

    from openpyxl import load_workbook

    try:
        a, b = (load_workbook(io.BytesIO(x), read_only=True, data_only=False) for x in (old, new))
    except Exception:  # a file that is no workbook: kept, to be safe
        return False
    try:
        if a.sheetnames != b.sheetnames:
            return False
        return all(list(a[n].iter_rows(values_only=True)) == list(b[n].iter_rows(values_only=True)) for n in a.sheetnames)
    finally:
        a.close()
        b.close()
