"""The Lambda init (`import wsgi`) in a fresh interpreter: the collector is off while the app
is built and back on afterwards, with what init created frozen out of its sight; and Jinja2,
which a JSON API never uses, is left out unless Flask was imported first."""

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


TEMPLATES_PROBE = """
import json, sys
import wsgi
from lifestyle_api.cold_start import template_engine_left_out
health = wsgi.app.test_client().get("/health")
document = wsgi.app.test_client().get("/openapi.json")
try:
    wsgi.app.jinja_env
    refused = None
except RuntimeError as error:
    refused = str(error)
print(json.dumps({
    "stand_in": template_engine_left_out(),
    "health": health.status_code,
    "openapi": document.status_code,
    "refused": refused,
}))
"""

REAL_JINJA_PROBE = """
import json
import flask
import wsgi
from lifestyle_api.cold_start import template_engine_left_out
with wsgi.app.app_context():
    text = flask.render_template_string("{{ 6 * 7 }}")
print(json.dumps({"stand_in": template_engine_left_out(), "text": text}))
"""


def _run(probe: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_REGION="us-east-1", TABLE_NAME="init-test", CURSOR_SECRET="init-test")
    child = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def test_the_lambda_init_leaves_the_template_engine_out_and_serves_json():
    state = _run(TEMPLATES_PROBE)
    assert state["stand_in"] is True
    assert state["health"] == 200
    assert state["openapi"] == 200
    assert "Templates are not available" in state["refused"]


def test_a_process_that_imported_flask_first_keeps_the_real_template_engine():
    state = _run(REAL_JINJA_PROBE)
    assert state == {"stand_in": False, "text": "42"}
