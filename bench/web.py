"""How the review page holds up with a long list: `plandraft serve` on a project of 1,193 items (our
plan's 38 and seven other cities' 165 each), 20 parallel requests of /review (and the style sheet
requested while they run), each timed from its own thread.

    .venv/bin/python bench/web.py [--items-per-city 165] [--cities 7] [--parallel 20]

Prints the load time, the latency of each kind of request (median and worst) and the bytes of a page."""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITIES = ("安城市", "裾野市", "尾道市", "豊田市", "岡崎市", "刈谷市", "西尾市", "碧南市", "知立市", "高浜市")


def plan_text(city: str, n: int) -> str:
    rows = "".join(f"◎ {city}の市民協働の推進{k}\t町内会や団体と協働して{city}の活動{k}を進めます。\t市民協働課\n"
                   for k in range(n))
    return (f"平成22年度 市民協働推進アクションプラン\n\n{city} 市民協働課\n\n施策1\n\n市民協働の意識を高める\n\n"
            f"■市民協働を進めます\n\n項目\tアクションプランの内容\t関係部署\n{rows}")


def project(folder: Path, cities: int, per_city: int) -> Path:
    inputs = folder / "inputs"
    inputs.mkdir(parents=True)
    for name in ("outline_計画の構成案.txt", "tsushima_h21_action_plan.txt"):
        shutil.copy(ROOT / "inputs" / name, inputs)
    others = []
    for city in CITIES[:cities]:
        path = inputs / f"{city}.txt"
        path.write_text(plan_text(city, per_city), "utf-8")
        others.append(path.name)
    (inputs / "plandraft.toml").write_text(
        'outline = "outline_計画の構成案.txt"\nplan = "tsushima_h21_action_plan.txt"\n'
        f"others = [{', '.join(repr(o).replace(chr(39), chr(34)) for o in others)}]\n", "utf-8")
    return folder


def get(url: str) -> tuple[float, int]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        size = len(r.read())
    return time.perf_counter() - t, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=7)
    ap.add_argument("--items-per-city", type=int, default=165)
    ap.add_argument("--parallel", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = project(Path(tmp) / "project", args.cities, args.items_per_city)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "PLANDRAFT_CACHE_DIR": str(Path(tmp) / "cache")}
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--project", str(folder), "--port",
                                 str(port), "--no-browser"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            t0 = time.perf_counter()
            while True:  # until the first load is done: the review page lists the items
                try:
                    _, size = get(url + "/review")
                    with urllib.request.urlopen(url + "/review", timeout=60) as r:
                        if "全 " in (html := r.read().decode()) and 'id="row-' in html:
                            break
                except OSError:
                    pass
                time.sleep(0.3)
            total = html.split("全 ", 1)[1].split(" ", 1)[0]
            print(f"project: {total} items, first load {time.perf_counter() - t0:.1f} s")
            get(url + "/review")  # warm
            for label, path in (("/review (page 1)", "/review"), ("/review?sort=conf&page=5", "/review?sort=conf&page=5"),
                                ("/review?q=協働 (all pages)", "/review?q=%E5%8D%94%E5%83%8D")):
                times: list[float] = []
                css: list[float] = []
                sizes: list[int] = []
                lock = threading.Lock()

                def one(path: str, times: list[float], sizes: list[int], lock: threading.Lock) -> None:
                    took, size = get(url + path)
                    with lock:
                        times.append(took)
                        sizes.append(size)

                threads = [threading.Thread(target=one, args=(path, times, sizes, lock)) for _ in range(args.parallel)]
                start = time.perf_counter()
                for t in threads:
                    t.start()
                time.sleep(0.05)
                css.append(get(url + "/static/app.css")[0])
                for t in threads:
                    t.join()
                wall = time.perf_counter() - start
                print(f"{args.parallel} parallel {label}: median {statistics.median(times):.3f} s, worst "
                      f"{max(times):.3f} s, all done in {wall:.2f} s; app.css meanwhile {css[0]:.3f} s; "
                      f"page {sizes[0] // 1024} KB")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
