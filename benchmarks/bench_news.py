"""The newsroom under load: the news front page and an article page, served by gunicorn.

Sets up a throw-away demo database (with the demo's articles and photos) in a temp
``PROMZONA_VAR_DIR``, starts gunicorn on loopback (2 workers x 8 threads, installed with pip
when missing) and runs ``--users`` concurrent readers for ``--seconds``, each alternating the
front page and an article. Anonymous readers get those pages from the shared page cache; a
second run asks for the article with a query string the cache does not key, so every answer is
rendered: what a cache miss costs (reported, not part of the goal). Prints requests/s,
p50/p95/p99 and errors per page; the baseline, measured in the same run by the same readers, is
a static file served the same way, with each page's p95 as a ratio to it. Also the article's
page weight: the HTML plus every stylesheet, script and image it references (the photo
included). Goals: p95 < 150 ms, 0 errors, weight < 500 kB.

Run: ``.venv/bin/python benchmarks/bench_news.py [--users 20] [--seconds 60]``
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_portal import PROMZONA, fetch, free_port, load

ARTICLE = "/news/governor-visit-balkhash-2025-09-08/"


def page_weight(base: str, path: str) -> tuple[int, int]:
    """Bytes of a page and of every stylesheet, script and image it references; file count."""
    _s, html = fetch(base + path)
    refs = set(re.findall(rb'(?:href|src)="(/(?:static|news-photo)/[^"]+)"', html))
    refs = {r for r in refs if not r.endswith((b".xml",))}
    return len(html) + sum(len(fetch(base + r.decode())[1]) for r in refs), 1 + len(refs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--baseline-seconds", type=float, default=10)
    args = ap.parse_args()
    bindir = Path(sys.executable).parent
    if not (bindir / "gunicorn").exists():
        subprocess.run([str(bindir / "pip"), "install", "--quiet", "gunicorn"], check=True)
    with tempfile.TemporaryDirectory(prefix="promzona-bench-") as var:
        env = dict(os.environ, PROMZONA_VAR_DIR=var, PROMZONA_DEBUG="0")
        subprocess.run([PROMZONA, "demo"], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [str(bindir / "gunicorn"), "-w", "2", "--threads", "8", "-b", f"127.0.0.1:{port}",
             "promzona.wsgi"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _i in range(200):
                try:
                    if fetch(base + "/news/")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            else:
                raise SystemExit("server did not start")
            weight, files = page_weight(base, ARTICLE)
            static = base + "/static/web/site.css"
            pages = [base + "/news/", base + ARTICLE]
            for u in pages + [static]:
                fetch(u)
            print(f"news load: {args.users} readers, gunicorn on loopback, demo DB, "
                  f"{args.seconds:.0f} s")
            print(f"article page weight with its photo: {weight} bytes in {files} files "
                  f"(goal < 500,000): {'met' if weight < 500_000 else 'NOT met'}")
            baseline = load([static], args.users, args.baseline_seconds)[static]
            print(f"{'page':<48}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
                  f"{'errors':>8}{'p95/static':>12}")
            print(f"{'static site.css (baseline)':<48}{baseline['rps']:>8.1f}"
                  f"{baseline['p50']:>9.1f}{baseline['p95']:>9.1f}{baseline['p99']:>9.1f}"
                  f"{baseline['errors']:>8}{1.0:>12.1f}")
            results = load(pages, args.users, args.seconds)
            for u, r in results.items():
                print(f"{u.removeprefix(base):<48}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
                      f"{r['p99']:>9.1f}{r['errors']:>8}{r['p95'] / baseline['p95']:>12.1f}")
            rendered = base + ARTICLE + "?from=bench"
            fetch(rendered)
            for u, r in load([rendered], args.users, args.seconds / 2).items():
                print(f"{'rendered: ' + u.removeprefix(base + '/news/'):<48}{r['rps']:>8.1f}"
                      f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['errors']:>8}"
                      f"{r['p95'] / baseline['p95']:>12.1f}")
            worst = max(r["p95"] for r in results.values())
            errs = sum(r["errors"] for r in results.values())
            print(f"worst p95 {worst:.1f} ms; errors {errs}; goal p95 < 150 ms and 0 errors: "
                  f"{'met' if worst < 150 and errs == 0 else 'NOT met'}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
