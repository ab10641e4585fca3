"""One botocore client per AWS service per container: a fresh interpreter sets AWS up with
the admin commands' code, walks every route of the app (accounts on Cognito, the coach on
Bedrock, every item model and transaction on DynamoDB), runs every scheduled task, and
counts the clients built (`tests/support/container.py`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from lifestyle_api import aws
from tests.support.infra import REPO_ROOT
from tests.support.routes import app_routes


def test_a_container_builds_one_client_per_service_whatever_it_does():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    child = subprocess.run(
        [sys.executable, "-m", "tests.support.container"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    life = json.loads(child.stdout.strip().splitlines()[-1])

    assert len(life["requests"]) == len(app_routes())
    assert all(status < 500 for _method, _path, status in life["requests"]), life["requests"]
    clients = life["clients"]
    assert {"dynamodb", "cognito-idp", "bedrock-runtime"} <= set(clients)
    assert all(built == 1 for built in clients.values()), clients
    # Only services `lifestyle_api.aws` knows, so every client is built there, with its settings.
    assert set(clients) <= set(aws.SERVICES)
