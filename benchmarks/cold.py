"""Cold init: a fresh process importing `wsgi` and answering `GET /health`, against the
boto3-only floor, median of several runs each (runs alternate so drift hits both), in wall
time and in CPU time (which a busy machine disturbs less), with the process's minor page
faults: a count a busy machine does not disturb, which shows memory churn the time alone
would hide (on CPython 3.11 a frame-stack chunk allocated and freed over and over when the
Python stack's depth shifts, thousands of faults).

Both import from a task root built like the image's (`task_root.py`): the locked runtime
dependencies and the app, compiled, run with `python -I -S` so nothing else is on the path.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import task_root

PROBE = Path(__file__).resolve().parent / "cold_probe.py"
PROBE_ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "lifestyle-bench",
    "CURSOR_SECRET": "bench",
    "COGNITO_CLIENT_ID": "bench-client",
    "POWERTOOLS_METRICS_NAMESPACE": "LifestyleBench",
}


def probe(mode: str, root: Path) -> tuple[float, float, int]:
    """Wall and CPU milliseconds, and minor page faults, of one fresh process."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LAMBDA_TASK_ROOT": str(root)}
    env.update(PROBE_ENV)
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(PROBE), mode, str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    wall, cpu, faults = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu), int(faults)


def measure(runs: int, roots: dict[str, Path] | None = None) -> dict[str, Any]:
    """Median wall and CPU time and page faults of `runs` fresh processes of the app (one
    root per label, `{"app": root}` unless given) and of the floor, every label in turn,
    then the floor."""
    roots = roots or {"app": task_root.build()}
    floor_root = next(iter(roots.values()))
    for root in roots.values():
        probe("app", root)  # the first run warms the page cache, as a real image is read once
    probe("floor", floor_root)
    samples: dict[str, list[tuple[float, float, int]]] = {label: [] for label in [*roots, "floor"]}
    for _ in range(runs):
        for label, root in roots.items():
            samples[label].append(probe("app", root))
        samples["floor"].append(probe("floor", floor_root))
    medians = {
        label: tuple(statistics.median(column) for column in zip(*runs_, strict=True))
        for label, runs_ in samples.items()
    }
    floor_ms, floor_cpu_ms, floor_faults = medians.pop("floor")
    result: dict[str, Any] = {
        "runs": runs,
        "boto3_floor_ms": round(floor_ms, 1),
        "boto3_floor_cpu_ms": round(floor_cpu_ms, 1),
        "boto3_floor_page_faults": round(floor_faults),
        "spread": {
            label: [round(min(run[0] for run in runs_), 1), round(max(run[0] for run in runs_), 1)]
            for label, runs_ in samples.items()
        },
    }
    for label, (wall, cpu, faults) in medians.items():
        prefix = "" if label == "app" else f"{label}_"
        result[f"{prefix}app_ms"] = round(wall, 1)
        result[f"{prefix}app_cpu_ms"] = round(cpu, 1)
        result[f"{prefix}app_page_faults"] = round(faults)
        result[f"{prefix}ratio"] = round(wall / floor_ms, 2)
        result[f"{prefix}cpu_ratio"] = round(cpu / floor_cpu_ms, 2)
    return result
