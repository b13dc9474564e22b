"""The printed documents — the commercial-offer PDF and a plot's passport PDF (both with a
map): a render against an answer from the document cache.

Sets up a throw-away demo database in a temp ``PROMZONA_VAR_DIR`` and asks ``/match/offer.pdf``
and ``/plots/balkhash/BLK-03/passport.pdf`` through the whole Django stack (test client, logged
in so the anonymous rate limit does not apply). Prints, per document, the median and p95 of
``--runs`` renders (the cache emptied before each: the baseline, measured in this run) and of as
many cached answers of the same request, the ratio of the medians, and the PDF's size.

Run: ``.venv/bin/python benchmarks/bench_offer.py [--runs 7]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

QUERY = {"sector": "C25", "area_min": "1", "area_max": "20", "power_kw": "500",
         "hazard_class": "4", "horizon_years": "10", "lang": "ru"}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args().runs
    tmp = tempfile.mkdtemp(prefix="promzona-bench-")
    os.environ["PROMZONA_VAR_DIR"] = tmp
    os.environ.pop("PROMZONA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "promzona.settings")
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from promzona.accounts.models import User
    from promzona.demo import balkhash

    setup_test_environment()
    call_command("migrate", verbosity=0)
    balkhash.load(today=timezone.localdate())
    client = Client()
    client.force_login(User.objects.get(username="demo-investor"))

    def timed(url: str, query: dict) -> tuple[float, bytes]:
        t0 = time.perf_counter()
        r = client.get(url, query)
        elapsed = time.perf_counter() - t0
        assert r.status_code == 200, r.content[:300]
        return elapsed, r.content

    documents = [("offer.pdf", "/match/offer.pdf", QUERY),
                 ("passport.pdf", "/plots/balkhash/BLK-03/passport.pdf", {})]
    for name, url, query in documents:
        timed(url, query)  # warm up imports and fonts
        rendered, cached = [], []
        for _ in range(runs):
            caches["offers"].clear()
            seconds, body = timed(url, query)
            rendered.append(seconds)
            seconds, again = timed(url, query)
            cached.append(seconds)
            assert again == body
        med_r, med_c = statistics.median(rendered), statistics.median(cached)
        print(f"{name} rendered: median {med_r * 1000:.0f} ms, p95 "
              f"{pct(rendered, .95) * 1000:.0f} ms ({runs} runs, {len(body) / 1024:.0f} KiB)")
        print(f"{name} cached:   median {med_c * 1000:.1f} ms, p95 {pct(cached, .95) * 1000:.1f} ms")
        print(f"{name} ratio rendered/cached: {med_r / med_c:.0f}x")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
