"""The benchmark's memory figures see processes that are not direct children (workers
started by a forkserver), as the build's worker pool is."""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks.bench import Phase, target_lines

# A grandchild that holds 150 MB: this process -> a shell-less python -> python.
_HOLDER = (
    "import subprocess, sys; "
    "subprocess.run([sys.executable, '-c', "
    '\'import time; x = bytearray(150 * 2**20); x[::4096] = b"x" * len(x[::4096]); '
    "time.sleep(1.5)'])"
)


def test_a_phase_records_the_peak_of_grandchildren():
    figures: dict = {"n": 1}
    with Phase(figures, "hold"):
        proc = subprocess.Popen([sys.executable, "-c", _HOLDER])
        time.sleep(1.0)
        proc.wait(timeout=30)
    phase = figures["phases"]["hold"]
    assert phase["peak_rss_workers_mb"] >= 150
    assert phase["peak_rss_total_mb"] >= phase["peak_rss_workers_mb"] + phase["peak_rss_mb"] - 1


def test_target_lines_compare_the_figures_with_the_issue_targets():
    q = {"timed_out": False, "rows": 1, "median_ms": 20.0, "p95_ms": 25.0}
    slow = {"timed_out": False, "rows": 1, "median_ms": 400.0, "p95_ms": 450.0}
    figures = {
        "n": 100_000,
        "build": {"seconds": 700.0},
        "queries": {"a": q, "b": slow, "c": {"timed_out": True, "rows": None, "timeout": 10}},
        "add_one_warm": {"seconds": 0.5},
        "remove_one_warm": {"seconds": 1.2},
        "phases": {"build": {"peak_rss_mb": 900, "peak_rss_total_mb": 1500}},
    }
    lines = "\n".join(target_lines(figures))
    assert "full build <= 600 s: 700.0 s, MISSED" in lines
    assert "query medians <= 1000 ms: 2/3 queries" in lines
    assert "add/remove one <= 1 s (extractor kept loaded): 1.20 s, MISSED" in lines
    assert "peak RSS <= 4096 MB (all processes): 1500 MB, met" in lines
