"""Benchmark: `plandraft ingest` on Japanese plans of ~10, ~100 and ~1,000 pages, against plain
pdfplumber (extract_text + extract_tables on every page) and plain python-docx, plus the cached
re-run, peak memory and the --workers speedup on a folder of 20 PDFs.

Targets: cold ingest ≤ 1.3× plain pdfplumber's time; cached re-run ≤ 0.2× the cold run; --workers 2
≥ 1.6× --workers 1 on 2 cores; a 1,000-page PDF under 500 MB peak.

The corpora are the body of inputs/tsushima_h21_action_plan.txt repeated (each 施策 on a new page,
ruled tables with repeated headers), written with tests/docmaker.py (reportlab CID fonts, python-docx).
Every timing is a whole child process (interpreter start and imports included), as a planner runs
it; peak memory is that child's (and its workers') largest resident set, from wait4().

    .venv/bin/python bench/ingest.py [--sizes 10,100,1000] [--corpus DIR] [--repeat 3]
    .venv/bin/python bench/ingest.py --engines [FILE.pdf ...] [--repeat 3]

--engines compares, on each PDF (default: the bench plans of 9 and 73 pages and the real budget book in
../shared/realdocs when present), cold `plandraft ingest FILE --json --no-cache` with plain pdfplumber
(extract_text + extract_tables on every page) and plain pypdfium2 (every page's text and character
boxes), runs alternated and medians kept, as other work on the machine shifts single runs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from docmaker import Layout, PageBreak, Plan, plan_from_text, write_docx, write_pdf  # noqa: E402

SOURCE = ROOT / "inputs" / "tsushima_h21_action_plan.txt"
LAYOUT = Layout(policy_page_break=True, font_size=10.5)  # the layout of the shipped sample PDF
PAGES_PER_COPY = 7  # pages each further copy of the body adds

FOLDER_COPIES = 3  # each PDF of the --workers folder: the body three times (~23 pages)

PDFPLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.extract_tables()
        page.close()
"""
# The readers alone, in one warmed-up process (imports, CID maps and the Sudachi dictionary loaded
# first): plandraft's reader and structure stage against the plain library on the same file.
IN_PROCESS = """
import sys, time
from pathlib import Path
import docx, pdfplumber
from pipeline.ingest import parse_file

def plain(path):
    if path.suffix == ".pdf":
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text(); page.extract_tables(); page.close()
    else:
        d = docx.Document(path)
        for p in d.paragraphs:
            p.text
        for t in d.tables:
            for row in t.rows:
                for cell in row.cells:
                    cell.text

warm, path = Path(sys.argv[1]), Path(sys.argv[2])
plain(warm); parse_file(warm)
times = {"plain": [], "plandraft": []}
for _ in range(int(sys.argv[3])):
    for name, f in (("plain", plain), ("plandraft", parse_file)):
        started = time.perf_counter(); f(path); times[name].append(time.perf_counter() - started)
print(min(times["plandraft"]), min(times["plain"]))
"""
PYPDFIUM2 = """
import sys, pypdfium2
pdf = pypdfium2.PdfDocument(sys.argv[1])
for page in pdf:
    text = page.get_textpage()
    text.get_text_range()
    for i in range(text.count_chars()):
        text.get_charbox(i, loose=True)
    text.close(); page.close()
"""
PYTHON_DOCX = """
import sys, docx
d = docx.Document(sys.argv[1])
for p in d.paragraphs:
    p.text
for t in d.tables:
    for row in t.rows:
        for cell in row.cells:
            cell.text
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


# Runs a command and reports its wall time and the peak resident memory of its largest process
# (workers included), measured from a small process so the benchmark's own memory is not counted.
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time and peak resident memory (largest process of the command's tree) of one command.
    Python may keep its compiled modules (as on a planner's machine), whatever this shell says."""
    env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    seconds, peak_kb, code = float(out[0]), int(out[1]), int(out[2])
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {code}")
    return Run(seconds, peak_kb / 1024)


def best(runs: list[Run]) -> Run:
    return Run(min(r.seconds for r in runs), max(r.peak_mb for r in runs))


def plan_of(copies: int) -> Plan:
    """The sample plan with its body repeated copies times (title page once)."""
    plan = plan_from_text(SOURCE)
    split = next(i for i, e in enumerate(plan.elements) if isinstance(e, PageBreak)) + 1
    title, body = plan.elements[:split], plan.elements[split:]
    return replace(plan, elements=title + body * copies)


def build(corpus: Path, sizes: list[int], folder_files: int) -> dict[str, Path]:
    """The PDF and DOCX of each size and the folder of PDFs, written into corpus unless already there."""
    corpus.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for size in sizes:
        copies = max(1, round((size - 1) / PAGES_PER_COPY))
        for suffix, writer in ((".pdf", write_pdf), (".docx", write_docx)):
            path = corpus / f"plan-{size}{suffix}"
            if not path.exists():
                started = time.perf_counter()
                writer(plan_of(copies), path, LAYOUT)
                print(f"  wrote {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            out[f"{size}{suffix}"] = path
    folder = corpus / f"folder-{folder_files}"
    if not folder.is_dir() or len(list(folder.glob("*.pdf"))) != folder_files:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        one = write_pdf(plan_of(FOLDER_COPIES), corpus / "folder-member.pdf", LAYOUT)
        for n in range(folder_files):
            shutil.copy(one, folder / f"plan-{n:02d}.pdf")
    out["folder"] = folder
    return out


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def plandraft(paths: list[Path], cache: Path | None, workers: int | None = None) -> list[str]:
    """The command a planner runs (its default --workers: the cores, which a single PDF's pages use),
    or with --workers for the folder's speed-up."""
    args = [sys.executable, "-m", "pipeline", "ingest", *map(str, paths), "--json"]
    args += ["--workers", str(workers)] if workers is not None else []
    return args + (["--no-cache"] if cache is None else [])


def env_with_cache(cache: Path) -> dict[str, str]:
    return {**os.environ, "PLANDRAFT_CACHE_DIR": str(cache)}


def in_process(path: Path, warm: Path, repeat: int) -> tuple[float, float]:
    """Seconds of plandraft's reader and of the plain library on path, in one warmed-up process."""
    out = subprocess.run([sys.executable, "-c", IN_PROCESS, str(warm), str(path), str(repeat)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def measure_file(path: Path, pages: int, repeat: int, tmp: Path) -> dict[str, Run]:
    """cold (empty cache), cached re-run and the plain library's time on one file, best of repeat."""
    baseline = PDFPLUMBER if path.suffix == ".pdf" else PYTHON_DOCX
    cold: list[Run] = []
    cached: list[Run] = []
    plain: list[Run] = []
    for n in range(repeat):
        cache = tmp / f"cache-{path.name}-{n}"
        cold.append(run(plandraft([path], cache), env_with_cache(cache)))
        cached.append(run(plandraft([path], cache), env_with_cache(cache)))
        plain.append(run([sys.executable, "-c", baseline, str(path)]))
        shutil.rmtree(cache, ignore_errors=True)
    return {"cold": best(cold), "cached": best(cached), "plain": best(plain)}


def engines(files: list[Path], repeat: int, corpus: Path) -> None:
    """plandraft cold against plain pdfplumber and plain pypdfium2 on each file, alternated, medians."""
    import statistics

    if not files:
        built = build(corpus, [10, 73], 0)
        files = [built["10.pdf"], built["73.pdf"]]
        real = ROOT.parent / "shared" / "realdocs" / "nonplans" / "fuji_r6_budget.pdf"
        if real.is_file():
            files.append(real)
    print(f"\nplandraft ingest --no-cache vs plain pdfplumber and plain pypdfium2, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}, medians of {repeat} alternated runs")
    print(f"{'file':<28} {'pages':>5} | {'plandraft':>9} | {'pdfplumber':>10} | {'pypdfium2':>9} | {'ratio':>5} | peak MB")
    for path in files:
        times: dict[str, list[Run]] = {"ours": [], "plumber": [], "pdfium": []}
        for _ in range(repeat):
            times["ours"].append(run(plandraft([path], None)))
            times["plumber"].append(run([sys.executable, "-c", PDFPLUMBER, str(path)]))
            times["pdfium"].append(run([sys.executable, "-c", PYPDFIUM2, str(path)]))
        med = {k: statistics.median(r.seconds for r in v) for k, v in times.items()}
        peak = max(r.peak_mb for r in times["ours"])
        print(f"{path.name[:28]:<28} {page_count(path):>5} | {med['ours']:7.2f} s | {med['plumber']:8.2f} s "
              f"| {med['pdfium']:7.2f} s | {med['ours'] / med['plumber']:5.2f} | {peak:.0f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000", help="approximate page counts (default 10,100,1000)")
    parser.add_argument("--corpus", type=Path, help="folder to keep the generated corpus in (reused if present)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement, at most 2 from 500 pages (best is kept)")
    parser.add_argument("--folder-files", type=int, default=20, help="PDFs in the --workers folder (default 20)")
    parser.add_argument("--engines", nargs="*", type=Path, metavar="PDF",
                        help="only compare plandraft with plain pdfplumber and pypdfium2 on these PDFs")
    args = parser.parse_args(argv)
    if args.engines is not None:
        with tempfile.TemporaryDirectory(prefix="plandraft-bench-") as scratch:
            engines(args.engines, args.repeat, args.corpus or Path(scratch) / "corpus")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="plandraft-bench-") as scratch:
        tmp = Path(scratch)
        corpus = args.corpus or tmp / "corpus"
        print(f"building the corpus in {corpus} …", file=sys.stderr)
        files = build(corpus, sizes, args.folder_files)
        print(f"\nplandraft ingest vs plain libraries, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        print("whole command: a process per run, interpreter start and imports included, best of runs;")
        print("readers only: the same work in one warmed-up process; peak: largest process (MB);")
        print("pages of a .docx are those of the same plan as .pdf; plain = pdfplumber / python-docx\n")
        header = (f"{'file':<14} {'pages':>5} | {'plandraft cold':>16} | {'plain':>16} | {'ratio':>5} "
                  f"| {'readers only':>12} | {'cached re-run':>14} | {'peak':>4} {'plain':>5}")
        print(header)
        print("-" * len(header))
        for size in sizes:
            pages = page_count(files[f"{size}.pdf"])
            for suffix in (".pdf", ".docx"):
                path = files[f"{size}{suffix}"]
                repeat = args.repeat if pages < 500 else min(args.repeat, 2)
                r = measure_file(path, pages, repeat, tmp)
                cold, plain, cached = r["cold"], r["plain"], r["cached"]
                ours, theirs = in_process(path, files[f"{sizes[0]}{suffix}"], repeat)
                print(f"{path.name:<14} {pages:>5} | {cold.seconds:6.2f} s {pages / cold.seconds:4.0f} p/s "
                      f"| {plain.seconds:6.2f} s {pages / plain.seconds:4.0f} p/s | {cold.seconds / plain.seconds:5.2f} "
                      f"| {ours / theirs:10.2f}× | {cached.seconds:5.2f} s {cached.seconds / cold.seconds:5.2f}× "
                      f"| {cold.peak_mb:4.0f} {plain.peak_mb:5.0f}", flush=True)
        folder = files["folder"]
        members = sorted(folder.glob("*.pdf"))
        if not members:
            return 0
        folder_pages = page_count(members[0]) * len(members)
        times = {}
        for workers in (1, 2):
            times[workers] = best([run(plandraft([folder], None, workers)) for _ in range(args.repeat)])
        print(f"\n--workers on a folder of {len(members)} PDFs ({folder_pages} pages), --no-cache:")
        for workers, r in times.items():
            print(f"  --workers {workers}: {r.seconds:6.2f} s  {folder_pages / r.seconds:5.0f} pages/s  "
                  f"peak {r.peak_mb:.0f} MB per process")
        print(f"  speedup: {times[1].seconds / times[2].seconds:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
