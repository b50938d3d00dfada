"""Writes the sample plans inputs/*.pdf and inputs/*.docx from the text version (deterministic):
`python scripts/make_samples.py [--out DIR] [--libreoffice]`."""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from docmaker import Layout, Plan, plan_from_text, write_docx, write_pdf  # noqa: E402

SOURCE = ROOT / "inputs" / "tsushima_h21_action_plan.txt"
# Each 施策 on a new page and 10.5pt table text: one table then breaks across a page (header repeated).
SAMPLE_LAYOUT = Layout(policy_page_break=True, font_size=10.5)
# A PDF made by another program (LibreOffice from a .docx): embedded fonts, header cells wrapped in
# narrow columns, merged department cells and rows cut by page breaks.
LIBREOFFICE_FIXTURE = ROOT / "tests" / "fixtures" / "libreoffice-merged-cells-across-pages.pdf"
LIBREOFFICE_LAYOUT = Layout(columns=("mark", "content", "name", "departments"), merge_departments=True,
                            page_height_mm=220)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="example: python scripts/make_samples.py --out /tmp/samples",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "inputs", help="folder to write to (default inputs)")
    parser.add_argument("--libreoffice", action="store_true",
                        help=f"also convert a .docx layout with LibreOffice to {LIBREOFFICE_FIXTURE.name} "
                             "(needs soffice; not byte-deterministic)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    plan = plan_from_text(SOURCE)
    targets = [write_pdf(plan, args.out / f"{SOURCE.stem}.pdf", SAMPLE_LAYOUT),
               write_docx(plan, args.out / f"{SOURCE.stem}.docx", SAMPLE_LAYOUT)]
    if args.libreoffice:
        targets.append(libreoffice_pdf(plan, LIBREOFFICE_FIXTURE))
    for target in targets:
        print(f"wrote {target} ({target.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


def libreoffice_pdf(plan: Plan, target: Path) -> Path:
    """plan written as a .docx in LIBREOFFICE_LAYOUT and exported to target by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("--libreoffice needs LibreOffice (soffice) on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        docx = write_docx(plan, Path(tmp) / f"{target.stem}.docx", LIBREOFFICE_LAYOUT)
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                       check=True, capture_output=True, timeout=300)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / f"{target.stem}.pdf", target)
    return target


if __name__ == "__main__":
    sys.exit(main())
