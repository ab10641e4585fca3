"""The Lambda init (`import wsgi`) with a setting missing, in a fresh interpreter: it stops,
with one log line naming the setting, instead of running with a per-container cursor
secret or skipped checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.infra import REPO_ROOT

LAMBDA_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "lifestyle-api-test",
    "AWS_REGION": "us-east-1",
    "TABLE_NAME": "init-test",
    "COGNITO_USER_POOL_ID": "us-east-1_TestPool",
    "COGNITO_CLIENT_ID": "test-client-id",
    "CURSOR_SECRET": "c" * 40,
    "PURGE_SCHEDULE_GROUP": "lifestyle-api-test-erasure",
    "PURGE_SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/erasure-scheduler",
    "PURGE_FUNCTION_ARN": "arn:aws:lambda:us-east-1:123456789012:function:lifestyle-api-test",
}


def init(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COGNITO_"))}
    return subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=REPO_ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def log_lines(output: str) -> list[dict]:
    lines = []
    for line in output.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


@pytest.mark.slow
def test_a_complete_environment_initialises():
    assert init(LAMBDA_ENV).returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("missing", "value"),
    [
        ("CURSOR_SECRET", None),
        ("CURSOR_SECRET", "short"),
        ("COGNITO_USER_POOL_ID", None),
        ("COGNITO_CLIENT_ID", None),
        ("LOCAL_AUTO_CONFIRM", "true"),
        ("PURGE_FUNCTION_ARN", None),
    ],
)
def test_a_missing_setting_stops_the_init_with_one_line_naming_it(missing, value):
    env = {k: v for k, v in LAMBDA_ENV.items() if k != missing}
    if value is not None:
        env[missing] = value
    child = init(env)
    assert child.returncode != 0
    errors = [line for line in log_lines(child.stdout) if line.get("level") == "ERROR"]
    assert len(errors) == 1, child.stdout
    assert missing in errors[0]["message"]
    assert errors[0]["setting"] == missing
