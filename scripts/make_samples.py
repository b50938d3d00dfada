"""Writes the sample plans inputs/*.pdf and inputs/*.docx from the text version (deterministic):
`python scripts/make_samples.py [--out DIR]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from docmaker import Layout, plan_from_text, write_docx, write_pdf  # noqa: E402

SOURCE = ROOT / "inputs" / "tsushima_h21_action_plan.txt"
# Each 施策 on a new page and 10.5pt table text: one table then breaks across a page (header repeated).
SAMPLE_LAYOUT = Layout(policy_page_break=True, font_size=10.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="example: python scripts/make_samples.py --out /tmp/samples",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "inputs", help="folder to write to (default inputs)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    plan = plan_from_text(SOURCE)
    for target in (write_pdf(plan, args.out / f"{SOURCE.stem}.pdf", SAMPLE_LAYOUT),
                   write_docx(plan, args.out / f"{SOURCE.stem}.docx", SAMPLE_LAYOUT)):
        print(f"wrote {target} ({target.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
