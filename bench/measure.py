"""Helpers the benchmarks share: median server time and query count of a callable."""

import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(call: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> tuple[float, int]:
    """Median wall time in milliseconds over ``repeat`` runs, and the query count of one run."""
    for _ in range(warmup):
        call()
    timings = []
    queries = 0
    for _ in range(repeat):
        connection.queries_log.clear()  # the log keeps 9,000 queries; count from empty
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return statistics.median(timings), queries


def report(label: str, millis: float, queries: int | None = None, budget_ms: float | None = None):
    parts = [f"{label:<58} {millis:9.1f} ms"]
    if queries is not None:
        parts.append(f"{queries:4d} queries")
    if budget_ms is not None:
        parts.append(f"(budget {budget_ms:.0f} ms: {'ok' if millis <= budget_ms else 'OVER'})")
    print("  ".join(parts), flush=True)
