"""A container's life: init, the first request of each feature, repeats, and memory, each
in a fresh process from a task root laid out like the image (`lifecycle_probe.py`), against
the emulator; medians over several containers.

Each container calls as a user of its own, seeded with a profile, goals and a day of logs
(`workload.seed_user`), and logs in to a Cognito user pool on the emulator.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROBE = Path(__file__).resolve().parent / "lifecycle_probe.py"
LOGIN = {"email": "bench@example.com", "password": "Correct-Horse-9-Battery"}


def probe_environment(url: str, table: str, cognito: dict[str, str]) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": table,
        "CURSOR_SECRET": "bench",
        "POWERTOOLS_METRICS_NAMESPACE": "LifestyleBench",
        "LOG_LEVEL": "WARNING",
        **cognito,
    }


def user_pool(url: str) -> dict[str, str]:
    """A user pool, app client and user on the emulator (the admin commands' code)."""
    from migrations_scripts import cognito

    client = cognito.client("us-east-1", url)
    pool_id, _ = cognito.ensure_user_pool(client, "lifestyle-bench")
    client_id, _ = cognito.ensure_app_client(client, pool_id, "lifestyle-api")
    cognito.ensure_user(client, pool_id, LOGIN["email"], LOGIN["password"], name="Bench")
    return {"COGNITO_USER_POOL_ID": pool_id, "COGNITO_CLIENT_ID": client_id}


def run_once(root: Path, env: dict[str, str], repeats: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(PROBE), str(root), str(repeats)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the container probe failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(
    roots: dict[str, Path], url: str, table: str, *, runs: int, repeats: int
) -> dict[str, dict[str, Any]]:
    """For each task root (`{"app": root}`, or several to compare builds), `runs` fresh
    containers, interleaved across roots; the median of every figure."""
    from .workload import seed_user

    cognito = user_pool(url)
    env = probe_environment(url, table, cognito)
    today = datetime.now(UTC).date()
    lives: dict[str, list[dict[str, Any]]] = {name: [] for name in roots}
    for run in range(runs):
        for name, root in roots.items():
            sub = f"bench-life-{name}-{run}"
            goal_id = seed_user(sub, 10, today)["goal_ids"][0]
            child_env = {**env, "BENCH_SUB": sub, "BENCH_GOAL_ID": goal_id}
            child_env["BENCH_LOGIN"] = json.dumps(LOGIN)
            lives[name].append(run_once(root, child_env, repeats))
    return {name: summarize(runs_of_root) for name, runs_of_root in lives.items()}


def _median(values) -> float:
    return round(statistics.median(values), 2)


def summarize(lives: list[dict[str, Any]]) -> dict[str, Any]:
    """Median over containers of each step; the spread (min–max) of init and first-touch."""
    names = [step["request"] for step in lives[0]["first"]]
    rows = []
    for index, name in enumerate(names):
        rows.append(
            {
                "request": name,
                "first_ms": _median(life["first"][index]["ms"] for life in lives),
                "first_cpu_ms": _median(life["first"][index]["cpu_ms"] for life in lives),
                "repeat_ms": _median(life["repeat"][index]["ms"] for life in lives),
                "repeat_cpu_ms": _median(life["repeat"][index]["cpu_ms"] for life in lives),
                "rss_mib": _median(life["first"][index]["rss_mib"] for life in lives),
            }
        )
    first_totals = [sum(step["ms"] for step in life["first"]) for life in lives]
    init_ms = [life["init"]["ms"] for life in lives]
    rss_init = _median(life["init"]["rss_mib"] for life in lives)
    rss_all = _median(life["rss_after_all_mib"] for life in lives)
    return {
        "runs": len(lives),
        "init_ms": _median(init_ms),
        "init_ms_range": [round(min(init_ms), 1), round(max(init_ms), 1)],
        "init_cpu_ms": _median(life["init"]["cpu_ms"] for life in lives),
        "first_total_ms": _median(first_totals),
        "first_total_ms_range": [round(min(first_totals), 1), round(max(first_totals), 1)],
        "first_total_cpu_ms": _median(sum(s["cpu_ms"] for s in life["first"]) for life in lives),
        "rss_init_mib": rss_init,
        "rss_after_all_mib": rss_all,
        "rss_ratio": round(rss_all / rss_init, 2),
        "clients": lives[-1]["clients"],
        "requests": rows,
    }
