"""Benchmark: `plandraft classify` on 1,000 measures (not a test). Prints wall-clock seconds for the
whole command (start-up, dictionary load, outline, matching) and for matching alone.

    .venv/bin/python bench/classify.py [N]
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTLINE = ROOT / "inputs" / "outline_計画の構成案.txt"
LABELLED = ROOT / "tests" / "data" / "other_cities_labelled.tsv"
SUFFIXES = ("", "の充実", "の検討", "(継続)", "に関する取組", "の実施と周知")


def measures(n: int) -> list[str]:
    """n distinct measure lines made from the labelled examples (so no result comes from a cache)."""
    base = [line.split("\t")[0] for line in LABELLED.read_text("utf-8").splitlines()[1:] if line.strip()]
    out = []
    for k in range(n):
        out.append(f"{base[k % len(base)]}{SUFFIXES[(k // len(base)) % len(SUFFIXES)]}{'' if k < 600 else k}")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    lines = measures(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "measures.txt"
        path.write_text("\n".join(lines) + "\n", "utf-8")
        # Python may keep its compiled modules (as on a planner's machine), whatever this shell says.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pipeline", "classify", "--outline", str(OUTLINE), "--json",
                               str(path)], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        whole = time.perf_counter() - start
    assert len(done.stdout.splitlines()) == n

    from pipeline.match.matcher import Matcher
    from pipeline.outline import read_outline

    matcher = Matcher(read_outline(OUTLINE))
    start = time.perf_counter()
    matcher.match_texts(lines)  # one batch, as classify does
    matching = time.perf_counter() - start
    print(f"classify {n} lines: {whole:.2f} s for the whole command, {matching:.2f} s matching alone "
          f"({1000 * matching / n:.2f} ms a line)")


if __name__ == "__main__":
    main()
