"""Benchmark: OCR of a scanned copy of the 対馬 plan. The shipped PDF's pages are rendered to images as a
scanner would make them (200 dpi, grayscale, turned by ±0.8°, JPEG quality 60), put back into an
image-only PDF, and read by `plandraft ingest FILE --json` (a whole child process, the workers and
Tesseract included). Reports the items found, how many of the text version's item names were read
≥ 90 % character-accurate (1 - edit distance / length, each true name against its best OCR name), the
mean character accuracy, the city and year, and seconds per page.

Target (issue 13): ≥ 30 of 38 names ≥ 90 % accurate, 対馬市, 2009, under 2 minutes on 2 cores.

    .venv/bin/python bench/ocr.py [--pdf inputs/tsushima_h21_action_plan.pdf] [--dpi 200] [--angle 0.8]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def scan_copy(src: Path, dst: Path, dpi: int = 200, angle: float = 0.8, quality: int = 60) -> Path:
    """An image-only PDF of src as a scanner makes it: each page rendered at dpi in grayscale, turned
    by ±angle degrees (alternating), JPEG-compressed at quality."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(src.read_bytes())
    images = []
    try:
        for i in range(len(document)):
            page = document[i]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            image = image.rotate(angle if i % 2 else -angle, resample=Image.BICUBIC, fillcolor=255)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality)
            buffer.seek(0)
            images.append(Image.open(buffer))
    finally:
        document.close()
    images[0].save(dst, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return dst


def char_accuracy(truth: str, read: str) -> float:
    """1 - edit distance / len(truth) (0 when worse than nothing)."""
    if not truth:
        return 1.0 if not read else 0.0
    prev = list(range(len(read) + 1))
    for i, a in enumerate(truth, start=1):
        cur = [i]
        for j, b in enumerate(read, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b)))
        prev = cur
    return max(0.0, 1 - prev[-1] / len(truth))


def score(truth: list[str], read: list[str], at_least: float = 0.9) -> tuple[int, float]:
    """How many true names have an OCR name at least at_least accurate, and the mean best accuracy."""
    best = [max((char_accuracy(t, r) for r in read), default=0.0) for t in truth]
    return sum(1 for b in best if b >= at_least), (sum(best) / len(best) if best else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf", type=Path, default=ROOT / "inputs" / "tsushima_h21_action_plan.pdf")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--angle", type=float, default=0.8)
    parser.add_argument("--quality", type=int, default=60)
    args = parser.parse_args()

    from pipeline.ingest import ingest_file

    truth = ingest_file(args.pdf, use_cache=False)
    names = [i.name for i in truth.items]
    with tempfile.TemporaryDirectory() as tmp:
        scan = scan_copy(args.pdf, Path(tmp) / "scan.pdf", args.dpi, args.angle, args.quality)
        env = dict(os.environ, PLANDRAFT_CACHE_DIR=str(Path(tmp) / "cache"))
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(scan), "--json", "--no-cache",
                              "--timeout", "600"], capture_output=True, text=True, env=env, cwd=ROOT)
        seconds = time.perf_counter() - start
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        return 1
    doc = json.loads(out.stdout)["documents"][0]
    read = [i["name"] for i in doc["items"]]
    good, mean = score(names, read)
    fy = doc["fiscal_year"]
    low = sum(1 for i in doc["items"] if "ocr_low_confidence" in i.get("flags", []))
    print(f"scan: {truth.pages} pages, {args.dpi} dpi, ±{args.angle}°, JPEG q{args.quality}; {os.cpu_count()} CPUs")
    print(f"items found: {len(read)} (text version: {len(names)})")
    print(f"names ≥ 90 % accurate: {good} of {len(names)}; mean character accuracy {mean:.3f}")
    print(f"city: {doc['city']}; year: {fy['year'] if fy else None}; pages OCR'd: {doc['ocr_pages']}; "
          f"flagged low confidence: {low}")
    print(f"time: {seconds:.1f} s ({seconds / (truth.pages or 1):.1f} s per page, whole process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
