"""Cold init: a fresh process importing `wsgi` and answering `GET /health`, against the
boto3-only floor, median of several runs each (runs alternate so drift hits both)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = Path(__file__).resolve().parent / "cold_probe.py"
PROBE_ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "lifestyle-bench",
    "CURSOR_SECRET": "bench",
    "POWERTOOLS_METRICS_NAMESPACE": "LifestyleBench",
    "PYTHONDONTWRITEBYTECODE": "",
}


def probe(mode: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COGNITO_", "JWT"))}
    env.update(PROBE_ENV)
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, str(PROBE), mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return float(result.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict[str, float]:
    probe("app")  # first run writes bytecode caches, as the image ships them compiled
    probe("floor")
    app, floor = [], []
    for _ in range(runs):
        app.append(probe("app"))
        floor.append(probe("floor"))
    app_ms, floor_ms = statistics.median(app), statistics.median(floor)
    return {
        "runs": runs,
        "app_ms": round(app_ms, 1),
        "boto3_floor_ms": round(floor_ms, 1),
        "ratio": round(app_ms / floor_ms, 2),
    }
