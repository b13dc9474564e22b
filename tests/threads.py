"""Real threads for the concurrency tests, each with its own database connection."""

from __future__ import annotations

import threading

from django.db import connection


def run_threads(n: int, work) -> None:
    """Run ``work(i)`` in ``n`` threads; each closes its own connection when done."""

    def target(i):
        try:
            work(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
