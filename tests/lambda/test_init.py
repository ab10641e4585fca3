"""The Lambda init (`import wsgi`) in a fresh interpreter: the collector is off while the app
is built and back on afterwards, with what init created frozen out of its sight; and the
modules a JSON API on Lambda never uses (Jinja2, werkzeug's server and test client, a few
imported for paths the app never takes) are left out unless Flask was imported first, each
still working when something does use it."""

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


LEFT_OUT_PROBE = """
import json, sys
import wsgi
LEFT_OUT = ["http.server", "socketserver", "werkzeug.test", "werkzeug.sansio.multipart"]
DEFERRED = ["aws_lambda_powertools.utilities.jmespath_utils", "difflib", "pkgutil"]
# A form body through the Lambda entry point: refused (JSON only) without parsing it.
FORM = "email=a%40b.c&password=x"
class Context:
    function_name, function_version, memory_limit_in_mb = "lifestyle-api", "$LATEST", 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:lifestyle-api"
    aws_request_id = "init-test"
form_post = wsgi.handler({
    "version": "2.0", "routeKey": "$default", "rawPath": "/auth/login", "rawQueryString": "",
    "headers": {"host": "api.example.com", "content-type": "application/x-www-form-urlencoded"},
    "requestContext": {
        "http": {"method": "POST", "path": "/auth/login", "protocol": "HTTP/1.1",
                 "sourceIp": "127.0.0.1", "userAgent": "init-test"},
        "requestId": "init-test", "stage": "$default",
    },
    "body": FORM, "isBase64Encoded": False,
}, Context())
state = {
    "form_post": form_post["statusCode"],
    "imported": [name for name in LEFT_OUT if name in sys.modules],
    "serving": type(sys.modules["werkzeug.serving"].__spec__).__name__,
    "form_parser": type(sys.modules["werkzeug.formparser"].__spec__).__name__,
    "deferred": [type(sys.modules[name]).__name__ for name in DEFERRED],
}
# Each still works when used, and the real module takes the stand-in's place.
import werkzeug.serving
from werkzeug import Client
from werkzeug.serving import WSGIRequestHandler
import difflib, pkgutil
from aws_lambda_powertools.utilities.jmespath_utils import query
from flask import url_for
state.update(
    reloader=werkzeug.serving.is_running_from_reloader(),
    handler=WSGIRequestHandler.__module__,
    werkzeug_client=Client(wsgi.app).get("/health").status_code,
    flask_client=wsgi.app.test_client().get("/health").status_code,
    close=difflib.get_close_matches("helth", ["health"]),
    walks=any(module.name == "wsgi" for module in pkgutil.iter_modules(["."])),
    query=query({"a": {"b": 7}}, "a.b"),
    after=[type(sys.modules[name]).__name__ for name in ["werkzeug.serving", *DEFERRED]],
    form_parser_before_use=type(sys.modules["werkzeug.formparser"].__spec__).__name__,
)
from flask import request
with wsgi.app.test_request_context(method="POST", data={"note": "from a form"}):
    state["form"] = request.form["note"]
with wsgi.app.test_request_context():
    try:
        url_for("health.Helth")
    except Exception as error:
        state["build_error"] = str(error)
print(json.dumps(state))
"""


def test_the_lambda_init_leaves_out_the_server_the_test_client_and_unused_modules():
    state = _run(LEFT_OUT_PROBE)

    assert state["form_post"] == 415
    assert state["imported"] == []
    assert state["serving"] == "NoneType"  # the stand-in, which has no spec
    assert state["form_parser"] == state["form_parser_before_use"] == "NoneType"
    assert state["form"] == "from a form"
    assert state["deferred"] == ["DeferredModule"] * 3
    assert state["reloader"] is False
    assert state["handler"] == "werkzeug.serving"
    assert state["werkzeug_client"] == state["flask_client"] == 200
    assert state["close"] == ["health"]
    assert state["walks"] is True
    assert state["query"] == 7
    assert state["after"] == ["module"] * 4
    assert "Could not build url for endpoint 'health.Helth'" in state["build_error"]


FLASK_FIRST_PROBE = """
import json, sys
import flask
import wsgi
print(json.dumps({
    name: type(sys.modules[name]).__name__ for name in ["werkzeug.test", "http.server", "difflib"]
}))
"""


def test_a_process_that_imported_flask_first_has_every_real_module():
    assert _run(FLASK_FIRST_PROBE) == {
        "werkzeug.test": "module",
        "http.server": "module",
        "difflib": "module",
    }
