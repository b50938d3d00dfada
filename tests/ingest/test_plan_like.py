"""Documents that are not plans of measures (budget books, statistics, name lists) say so: plan_like
false with a reason, and one stderr line from `plandraft ingest`; the real project list still reads."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

from pipeline.ingest import ingest_file

REALDOCS = SHARED / "realdocs"
NONPLANS = sorted((REALDOCS / "nonplans").glob("*")) if (REALDOCS / "nonplans").is_dir() else []
# The 612-page budget book, the 83-page OCR'd council packet and the 48-sheet workbook take minutes on a
# shared 2-core machine: bench/layouts.py reads them; PLANDRAFT_REALDOCS_ALL=1 tests them here too.
HEAVY = {"fuji_r6_budget.pdf", "kodaira_r2_rinjikai_shiryo.pdf", "soumu_FY2023_settlementcard.xlsx"}
if not os.environ.get("PLANDRAFT_REALDOCS_ALL"):
    NONPLANS = [p for p in NONPLANS if p.name not in HEAVY]


def test_a_table_of_numbers_is_not_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "stats.txt"
    path.write_text("町丁目\t世帯数\t男\t女\n本町一丁目\t828\t812\t845\n本町二丁目\t861\t849\t874\n", encoding="utf-8")
    doc = ingest_file(path, use_cache=False)
    assert not doc.plan_like and not doc.items and doc.warnings


def test_the_cli_says_in_one_line_that_a_document_is_not_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "予算 抜粋.txt"
    path.write_text("款\t項\t目\t本年度予算額\n2 総務費\t1 総務管理費\t1 一般管理費\t812345\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(path), "--json", "--no-cache"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    doc = json.loads(res.stdout)["documents"][0]
    assert doc["plan_like"] is False and doc["warnings"] and doc["items"] == []
    lines = [line for line in res.stderr.splitlines() if path.name in line]
    assert len(lines) == 1 and ("not a plan" in lines[0] or "計画ではありません" in lines[0]), res.stderr


@pytest.mark.slow
@pytest.mark.skipif(not NONPLANS, reason="../shared/realdocs not present")
@pytest.mark.parametrize("path", NONPLANS, ids=lambda p: p.name)
def test_real_nonplans_are_not_plans(path: Path) -> None:
    from pipeline.errors import InputError

    try:
        doc = ingest_file(path, use_cache=False)
    except InputError:
        return  # refused (the legacy .xls): not read as a plan either
    assert not doc.plan_like, (doc.warnings, len(doc.items))


@pytest.mark.skipif(not (REALDOCS / "lists").is_dir(), reason="../shared/realdocs not present")
def test_real_project_list_gives_its_measures_by_content() -> None:
    key = json.loads((REALDOCS / "lists" / "kodaira_r2_hosei4_hosoku.xlsx.key.json").read_text(encoding="utf-8"))
    doc = ingest_file(REALDOCS / "lists" / key["file"], use_cache=False)
    want = [m["name"] for m in key["expected_measures"]]
    names = [i.name for i in doc.items]
    assert doc.plan_like
    assert not any(n.replace(",", "").isdigit() for n in names)  # no amount as a name
    import unicodedata

    def norm(s: str) -> str:
        return "".join(unicodedata.normalize("NFKC", s).split())

    got = {norm(n) for n in names}
    assert sum(norm(w) in got for w in want) >= 0.95 * len(want)
