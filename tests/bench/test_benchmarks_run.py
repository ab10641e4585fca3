"""The benchmark suite runs end to end in its quick mode. Nothing here is timed: the test
proves the suite works and that its figures are all there, never how fast they are."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURE_REQUESTS = {
    "POST /goals",
    "GET /me",
    "POST /activities",
    "POST /meals",
    "POST /metrics",
    "GET /summaries/daily",
    "POST /goals/{id}/check-ins",
    "POST /coach/insights",
    "GET /me/export",
    "POST /auth/login",
}
WARM_ROUTES = {
    "GET /goals/{id}",
    "GET /goals",
    "POST /goals",
    "POST /goals/{id}/check-ins",
    "GET /summaries/daily",
}


def run_module(*args: str, timeout: int) -> subprocess.CompletedProcess:
    """`python -m <args>` from the repository, with no AWS settings of this process, which
    the benchmarks set for themselves; it must exit 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.slow
def test_quick_benchmark_prints_and_writes_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    result = run_module("benchmarks", "--quick", "--out", str(out), timeout=600)
    for section in (
        "Cold init",
        "A container's life",
        "Warm requests",
        "Scaling with history",
        "Reminders pass",
    ):
        assert section in result.stdout

    figures = json.loads(out.read_text())
    assert figures["machine"]
    cold = figures["cold"]
    assert cold["app_ms"] > 0
    assert cold["app_cpu_ms"] > 0
    assert cold["boto3_floor_ms"] > 0
    assert cold["boto3_floor_cpu_ms"] > 0
    assert cold["app_page_faults"] > cold["boto3_floor_page_faults"] > 0

    life = figures["lifecycle"]["app"]
    assert life["init_ms"] > 0
    assert life["rss_init_mib"] > 0
    assert {row["request"] for row in life["requests"]} >= FEATURE_REQUESTS
    assert all(row["first_ms"] > 0 and row["repeat_ms"] > 0 for row in life["requests"])
    assert life["rss_after_all_mib"] >= life["rss_init_mib"]
    # One botocore client per service, whatever the container did.
    assert {"dynamodb", "cognito-idp"} <= set(life["clients"])
    assert all(count == 1 for count in life["clients"].values())

    assert {row["route"] for row in figures["warm"]} == WARM_ROUTES
    for row in figures["warm"]:
        assert row["app_p50_ms"] > 0
        assert row["boto3_p50_ms"] > 0
        assert row["app_cpu_p50_ms"] > 0
        assert row["boto3_cpu_p50_ms"] > 0
    writes = [row for row in figures["warm"] if row["route"].startswith("POST")]
    assert len(writes) >= 2
    requests = {row["route"]: row["requests"] for row in figures["dynamodb"]}
    assert requests["GET /goals/{id}"] == 1
    assert requests["GET /summaries/daily"] == 3
    assert [row["items"] for row in figures["scaling"]] == [10, 100, 1000]
    for row in figures["scaling"]:
        assert row["GET /summaries/daily"]["requests"] == 3
        assert row["GET /meals?from&to"]["requests"] == 1
    # A reminders pass: nothing sent when nothing is due, everyone's reminder when it is;
    # a quiet pass reads the index and the profiles (a hundred a request), and writes nothing.
    assert [row["users"] for row in figures["reminders"]] == [50, 200]
    for row in figures["reminders"]:
        quiet, due = row["quiet"], row["due"]
        assert (quiet["notified"], quiet["sns_requests"], quiet["write_units"]) == (0, 0, 0)
        assert set(quiet["operations"]) <= {"Query", "BatchGetItem", "GetItem"}
        assert due["notified"] == due["pushed"] == row["users"]
        assert due["write_units"] > 0
    # End to end on dynalite too wherever Node.js and npm can run it; said so where not.
    if figures["dynalite"] == "used":
        assert all(
            row[route]["dynalite_p50_ms"] > 0
            for row in figures["scaling"]
            for route in ("GET /goals", "GET /meals?from&to", "GET /summaries/daily")
        )
    else:
        assert not (shutil.which("node") and shutil.which("npm")) or "npm" in figures["dynalite"]
        assert f"dynalite: not run ({figures['dynalite']})" in result.stdout


@pytest.mark.slow
def test_the_request_profile_runs_on_replayed_answers_and_unprofiled():
    command = ("benchmarks.profile_request", "GET /goals/{id}")
    profiled = run_module(*command, "--calls", "5", "--replay", timeout=300)
    assert "(app, DynamoDB's answers replayed): 5 warm calls" in profiled.stdout
    assert "lifestyle_api" in profiled.stdout
    by_package = profiled.stdout.split("by package")[1].split("Top")[0]
    shares = {
        line.split()[0]: float(line.split()[-1].rstrip("%"))
        for line in by_package.splitlines()[1:]
        if line.strip()
    }
    assert shares.get("botocore", 0.0) < 5.0  # the DynamoDB client's work is replayed away

    counted = run_module(
        *command, "--calls", "3", "--replay", "--no-profile", "--plain", timeout=300
    )
    assert "(plain boto3, DynamoDB's answers replayed): 3 warm calls, not profiled" in (
        counted.stdout
    )
