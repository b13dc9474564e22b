"""Registration takes the same time whether the user name or the BIN exists.

A stranger must not learn from the answer's timing which user names or organisations are
registered. Three paths through ``POST /accounts/register/`` (Django's test client, a
throw-away SQLite): a new BIN with a new user name (the baseline, measured in the same run), a
BIN already registered, and a user name already taken. Each gets the same page; the figures are
medians of ``--runs`` requests per path and the ratio to the baseline.

Run: ``.venv/bin/python benchmarks/bench_accounts.py [--runs 15]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ["PROMZONA_VAR_DIR"] = tempfile.mkdtemp(prefix="promzona-bench-accounts-")
    os.environ.pop("PROMZONA_DATABASE_URL", None)
    os.environ["PROMZONA_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "promzona.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from promzona.core.kz_bin import bin_check_digit
    from promzona.demo import balkhash

    call_command("migrate", verbosity=0)
    balkhash.load(today=timezone.localdate())
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="127.0.0.1")
    fresh = (f"{head}{bin_check_digit(head)}" for head in (f"3001400{n:04d}" for n in range(9999))
             if bin_check_digit(head) is not None)
    counter = iter(range(10**6))

    def register(number: str, username: str | None) -> float:
        i = next(counter)
        data = {"organisation_name": "Bench LLP", "country": "KZ", "number": number,
                "username": username or f"bench{i}", "email": f"bench{i}@example.org",
                "password1": "bench-password-2026", "password2": "bench-password-2026"}
        t0 = time.perf_counter()
        r = client.post("/en/accounts/register/", data, REMOTE_ADDR=f"10.{i // 250}.{i % 250}.1")
        elapsed = time.perf_counter() - t0
        assert r.status_code == 200 and b"Check your email" in r.content, r.status_code
        return elapsed

    paths = {"new BIN, new user name": lambda: register(next(fresh), None),
             "claimed BIN": lambda: register("180140005227", None),
             "taken user name": lambda: register(next(fresh), "demo-staff")}
    for run in paths.values():  # warm up
        run()
    times = {name: [] for name in paths}
    for _ in range(args.runs):  # interleaved, so load on the machine hits every path alike
        for name, run in paths.items():
            times[name].append(run())
    baseline = statistics.median(times["new BIN, new user name"])
    for name, xs in times.items():
        median = statistics.median(xs)
        print(f"{name:24s} median {median * 1000:7.1f} ms over {len(xs)} | "
              f"baseline {baseline * 1000:.1f} ms | ratio {median / baseline:.2f}")


if __name__ == "__main__":
    main()
