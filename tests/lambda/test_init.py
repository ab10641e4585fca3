"""The Lambda init (`import wsgi`) in a fresh interpreter: the collector is off while the app
is built and back on afterwards, with what init created frozen out of its sight."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.infra import REPO_ROOT

PROBE = """
import gc, json
import wsgi
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def test_import_leaves_the_collector_on_with_init_objects_frozen():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_REGION="us-east-1", TABLE_NAME="init-test", CURSOR_SECRET="init-test")

    child = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    state = json.loads(child.stdout.strip().splitlines()[-1])
    assert state["enabled"] is True
    # Modules, classes, schemas and routes: a bare interpreter tracks under 10,000.
    assert state["frozen"] > 50_000
