"""`python -m lifestyle_api.local` (what `make run` runs), started in the background like a
developer would: it serves, the demo user works, reloads keep the data, stopping it leaves
no process, and a taken port or a dead endpoint is one clear line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error

import boto3
import pytest

from lifestyle_api.local.provision import POOL_NAME
from tests.support.aws import TEST_REGION
from tests.support.emulator import closed_endpoint, free_port, moto_server
from tests.support.local_run import PROJECT_ROOT, LocalRun

pytestmark = pytest.mark.slow

NEW_USER = {"email": "new.user@example.com", "password": "Str0ng-passw0rd", "name": "New User"}
GOAL = {"title": "Walk after lunch", "category": "fitness"}


def test_register_login_and_create_a_goal_then_stop_leaving_no_process(local_run):
    run = local_run()
    assert run.wait_for_health() == {"status": "ok", "version": "0.1.0"}

    status, registered, _ = run.request("POST", "/auth/register", NEW_USER)
    assert status == 201, registered
    assert registered["email"] == NEW_USER["email"]
    assert registered["confirmed"] is True  # LOCAL_AUTO_CONFIRM
    status, tokens, _ = run.request(
        "POST", "/auth/login", {"email": NEW_USER["email"], "password": NEW_USER["password"]}
    )
    assert status == 200, tokens
    assert tokens["tokenType"] == "Bearer"
    status, goal, headers = run.request("POST", "/goals", GOAL, token=tokens["accessToken"])
    assert status == 201, goal
    assert headers["Location"] == f"/goals/{goal['goalId']}"
    status, fetched, _ = run.request("GET", headers["Location"], token=tokens["accessToken"])
    assert (status, fetched["title"]) == (200, GOAL["title"])

    assert run.stop(signal.SIGTERM) == 0
    assert run.leftover_processes() == []
    with pytest.raises(urllib.error.URLError, match="Connection refused"):
        run.request("GET", "/health")


def test_the_demo_user_works_reloads_keep_the_data_and_ctrl_c_stops_everything(local_run, tmp_path):
    watched = tmp_path / "watched.py"
    watched.write_text("# a file Flask's reloader watches\n")
    run = local_run("--debug", env={"FLASK_RUN_EXTRA_FILES": str(watched)})
    run.wait_for_health()
    output = run.output()
    assert f"Lifestyle API: {run.url}" in output
    assert "demo login   demo@example.com / Demo-pass-1" in output

    # The demo user signs in at the emulator's user pool and sees the seeded goals.
    token = run.demo_access_token()
    status, goals, _ = run.request("GET", "/goals?limit=100", token=token)
    assert status == 200
    titles = {goal["title"]: goal for goal in goals["items"]}
    assert len(titles) == 9
    assert titles["Meditate for 10 minutes"]["progress"]["streakCurrent"] >= 12
    status, created, _ = run.request("POST", "/goals", GOAL, token=token)
    assert status == 201

    # A code change restarts Flask's worker; the emulator and its data live on.
    run.wait_for_output("Restarting with stat")
    later = time.time() + 5
    os.utime(watched, (later, later))
    run.wait_for_output("Detected change in")
    run.wait_for_output("Restarting with stat", count=2)
    run.wait_for_health()
    status, fetched, _ = run.request("GET", f"/goals/{created['goalId']}", token=token)
    assert (status, fetched["goalId"]) == (200, created["goalId"])

    # Ctrl-C in a terminal signals the whole foreground process group.
    assert run.stop(signal.SIGINT, whole_group=True) == 0
    assert run.leftover_processes() == []


def test_an_endpoint_from_aws_endpoint_url_is_used_and_its_pool_reused():
    with moto_server() as endpoint:
        cognito = boto3.client("cognito-idp", region_name=TEST_REGION, endpoint_url=endpoint)
        pool_id = cognito.create_user_pool(PoolName=POOL_NAME)["UserPool"]["Id"]
        run = LocalRun(env={"AWS_ENDPOINT_URL": endpoint, "TABLE_NAME": "shared-dev"})
        try:
            run.wait_for_health()
            output = run.output()
            assert f"AWS endpoint {endpoint} (from AWS_ENDPOINT_URL)" in output
            assert "AWS emulator" not in output
            assert f"user pool {POOL_NAME}: {pool_id} (reused)" in output
            token = run.demo_access_token(endpoint)
            status, _, _ = run.request("POST", "/goals", GOAL, token=token)
            assert status == 201
            dynamodb = boto3.client("dynamodb", region_name=TEST_REGION, endpoint_url=endpoint)
            assert dynamodb.describe_table(TableName="shared-dev")["Table"]["ItemCount"] > 300
            assert run.stop() == 0
            assert run.leftover_processes() == []
        finally:
            run.close()


def local_command(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lifestyle_api.local", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_taken_port_fails_with_one_clear_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = local_command("--port", str(port))
        emulator = local_command("--port", str(free_port()), "--emulator-port", str(port))

    assert finished.returncode == 1
    assert finished.stderr == (
        f"error: port {port} on 127.0.0.1 (the API) is not available: Address already in use; "
        "stop what uses it or choose another with --port or PORT=\n"
    )
    assert emulator.returncode == 1
    assert emulator.stderr == (
        f"error: port {port} on 127.0.0.1 (the AWS emulator) is not available: Address already "
        "in use; stop what uses it or choose another with --emulator-port\n"
    )


def test_an_unreachable_endpoint_fails_with_one_clear_line():
    endpoint = closed_endpoint()
    finished = local_command("--port", str(free_port()), env={"AWS_ENDPOINT_URL": endpoint})

    assert finished.returncode == 1
    assert finished.stderr == (
        f"error: cannot reach AWS_ENDPOINT_URL={endpoint}: "
        f'Could not connect to the endpoint URL: "{endpoint}/"\n'
    )
