"""Cold init: a fresh process importing `wsgi` and answering `GET /health`, against the
boto3-only floor, median of several runs each (runs alternate so drift hits both).

Both import from a task root built like the image's (`task_root.py`): the locked runtime
dependencies and the app, compiled, run with `python -I -S` so nothing else is on the path.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from . import task_root

PROBE = Path(__file__).resolve().parent / "cold_probe.py"
PROBE_ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "lifestyle-bench",
    "CURSOR_SECRET": "bench",
    "POWERTOOLS_METRICS_NAMESPACE": "LifestyleBench",
}


def probe(mode: str, root: Path) -> float:
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
    return float(result.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict[str, float]:
    root = task_root.build()
    probe("app", root)  # the first run warms the page cache, as a real image is read once
    probe("floor", root)
    app, floor = [], []
    for _ in range(runs):
        app.append(probe("app", root))
        floor.append(probe("floor", root))
    app_ms, floor_ms = statistics.median(app), statistics.median(floor)
    return {
        "runs": runs,
        "app_ms": round(app_ms, 1),
        "boto3_floor_ms": round(floor_ms, 1),
        "ratio": round(app_ms / floor_ms, 2),
    }
