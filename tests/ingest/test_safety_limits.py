"""No file can hang a batch, exhaust memory or make plandraft write outside its output folder and
cache: pathological files (a vector storm, an inflation bomb) are stopped by the per-file limits and
reported, while the rest of the batch is read."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import INPUTS, ROOT
from docmaker import write_encrypted_pdf, write_inflation_bomb_pdf, write_vector_storm_pdf, write_xxe_docx

from pipeline.cli import main
from pipeline.ingest import LIMITS, Limits

SAMPLE = INPUTS / "tsushima_h21_action_plan"


@pytest.mark.slow
def test_a_file_past_the_time_limit_is_stopped_and_the_rest_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    storm = write_vector_storm_pdf(tmp_path / "vector storm.pdf")  # tens of seconds to parse
    good = Path(f"{SAMPLE}.txt")
    started = time.monotonic()
    assert main(["ingest", str(storm), str(good), "--timeout", "2", "--json", "--no-cache"]) == 1
    assert time.monotonic() - started < 10
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == (
        f"{storm}: took longer than 2 s (the file may be damaged or unusually complex; split it or raise --timeout)"
    )
    data = json.loads(captured.out)
    assert [d["path"] for d in data["documents"]] == [str(good)]
    assert data["errors"][0]["reason"].startswith("took longer than 2 s")


def _long_plan(path: Path, copies: int = 4) -> Path:
    """The sample plan with its body copies times: 30 pages of ruled tables, read in about a second."""
    from dataclasses import replace

    from docmaker import Layout, PageBreak, plan_from_text, write_pdf

    plan = plan_from_text(Path(f"{SAMPLE}.txt"))
    split = next(i for i, e in enumerate(plan.elements) if isinstance(e, PageBreak)) + 1
    return write_pdf(replace(plan, elements=plan.elements[:split] + plan.elements[split:] * copies), path,
                     Layout(policy_page_break=True, font_size=10.5))


@pytest.mark.slow
def test_the_time_limit_grows_with_the_page_count(tmp_path: Path) -> None:
    """A long file is not a hostile one: 0.2 s per file, or 0.5 s per page when more, lets a 30-page
    plan be read; at 0.001 s per page the same file is stopped at 0.2 s. The worker says the page
    count as soon as it has opened the file."""
    from pipeline.ingest import ingest_paths

    plan = _long_plan(tmp_path / "長い 計画.pdf")
    docs, errors = ingest_paths([plan], use_cache=False, workers=1, limits=Limits(seconds=0.2, seconds_per_page=0.5))
    assert errors == [] and len(docs[0].items) > 100
    docs, errors = ingest_paths([plan], use_cache=False, workers=1, limits=Limits(seconds=0.2, seconds_per_page=0.001))
    assert docs == [] and errors[0].reason.startswith("took longer than 0.2 s")


MEASURE = """
import resource, subprocess, sys
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest process, workers included
print(run.returncode, peak_mb, file=sys.stderr)
sys.stdout.write(run.stdout)
sys.stderr.write(run.stderr)
"""


@pytest.mark.slow
def test_a_file_that_needs_too_much_memory_is_refused_under_1_gb(tmp_path: Path) -> None:
    """A PDF whose page inflates to 2 GiB (2 MB on disk) fails as 'file too large' within the default
    limit; no process of the batch grows past 1 GB (measured from outside, workers included)."""
    bomb = write_inflation_bomb_pdf(tmp_path / "爆弾.pdf", inflated_mb=2048)
    assert bomb.stat().st_size < 3 * 1024 * 1024
    good = Path(f"{SAMPLE}.txt")
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(bomb), str(good), "--json", "--no-cache"]
    run = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    first, *lines = run.stderr.splitlines()
    code, peak_mb = first.split()
    assert int(code) == 1
    assert float(peak_mb) < 1024
    assert lines[0] == (f"{bomb}: file too large (reading it needs more than {LIMITS.memory_mb} MB) "
                        "(split it into smaller files or raise --memory-limit)")
    assert [d["path"] for d in json.loads(run.stdout)["documents"]] == [str(good)]


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--timeout", "soon"], ["--memory-limit", "100"]])
def test_limits_must_be_sensible(option: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", f"{SAMPLE}.txt", *option]) == 2
    assert capsys.readouterr().err.strip()
    with pytest.raises(ValueError):
        Limits(seconds=0)


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under root: size, modification time and content hash."""
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_batch_writes_only_its_output_and_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Inputs (good and bad) are left byte-for-byte and time-stamp unchanged; the working folder, home
    and temp folders stay empty; only the output folder and the parse cache gain files."""
    inputs, out, cache, home, temp, work = (tmp_path / n for n in ("inputs", "out", "cache", "home", "tmp", "work"))
    for folder in (inputs, out, cache, home, temp, work):
        folder.mkdir()
    for suffix in (".pdf", ".docx", ".txt"):
        (inputs / f"計画 {suffix[1:]}{suffix}").write_bytes(Path(f"{SAMPLE}{suffix}").read_bytes())
    write_encrypted_pdf(inputs / "locked.pdf")
    (inputs / "truncated.pdf").write_bytes(Path(f"{SAMPLE}.pdf").read_bytes()[:5000])
    write_xxe_docx(inputs / "xxe.docx", inputs / "計画 txt.txt")
    (out / "items.json").write_text('{"documents": [], "errors": [], "metadata": {"previous": true}}\n', "utf-8")
    monkeypatch.setenv("PLANDRAFT_CACHE_DIR", str(cache))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.chdir(work)
    before = _snapshot(tmp_path)

    assert main(["ingest", str(inputs), "-o", str(out / "items.json"), "--workers", "2"]) == 1
    capsys.readouterr()

    after = _snapshot(tmp_path)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert changed, "the batch wrote nothing"
    assert all(p.startswith(("out/", "cache/")) for p in changed), sorted(changed)
    assert sorted(p.name for p in out.iterdir()) == ["items.json"]  # no temporary files left
    assert len(json.loads((out / "items.json").read_text("utf-8"))["documents"]) == 3
