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


def measure_with_cpu(
    call: Callable[[], object], *, repeat: int = 7, warmup: int = 1
) -> tuple[float, float, int]:
    """As ``measure``, with the median CPU time of this process beside the wall time: on a
    machine shared with other work the wall time grows with their load, the CPU time does
    not (on SQLite it is the whole work; on PostgreSQL it leaves out the server's share)."""
    for _ in range(warmup):
        call()
    walls, cpus = [], []
    queries = 0
    for _ in range(repeat):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            call()
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        queries = len(captured)
    return statistics.median(walls), statistics.median(cpus), queries


def report_with_cpu(label: str, wall: float, cpu: float, queries: int, budget_ms: float):
    verdict = "ok" if wall <= budget_ms else "OVER"
    print(
        f"{label:<58} {wall:9.1f} ms  (CPU {cpu:6.1f} ms)  {queries:4d} queries  "
        f"(budget {budget_ms:.0f} ms: {verdict})",
        flush=True,
    )


def report(label: str, millis: float, queries: int | None = None, budget_ms: float | None = None):
    parts = [f"{label:<58} {millis:9.1f} ms"]
    if queries is not None:
        parts.append(f"{queries:4d} queries")
    if budget_ms is not None:
        parts.append(f"(budget {budget_ms:.0f} ms: {'ok' if millis <= budget_ms else 'OVER'})")
    print("  ".join(parts), flush=True)
