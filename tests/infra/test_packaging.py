"""Packaging smoke test: the lock and the app, installed into an empty directory the way the
Dockerfile does it, import and answer a v2 `GET /health` event with nothing else on
`sys.path`. Also: the lock is pinned, hashed and in step with setup.cfg."""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.events import FakeLambdaContext, make_v2_event
from tests.support.infra import REPO_ROOT

LOCK = REPO_ROOT / "requirements" / "lock.txt"

# Runs with `python -I -S`: no site-packages, no PYTHONPATH, no current directory.
CHILD = """
import json, sys, types
task_root, result_path = sys.argv[1], sys.argv[2]
sys.path.insert(0, task_root)
payload = json.load(sys.stdin)
import wsgi
context = types.SimpleNamespace(**payload["context"])
context.get_remaining_time_in_millis = lambda: 30_000
response = wsgi.handler(payload["event"], context)
loaded_from = sorted({
    module.__name__.partition(".")[0]
    for module in list(sys.modules.values())
    if getattr(module, "__file__", None) and module.__file__.startswith(task_root)
})
with open(result_path, "w") as result:
    json.dump(
        {"response": response, "sys_path": sys.path, "loaded_from_task_root": loaded_from},
        result,
    )
"""


def _locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", LOCK.read_text(), flags=re.M)
    return {canonicalize_name(name): version for name, version in pins}


def _install_requires() -> list[Requirement]:
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].strip().splitlines()
    return [Requirement(line.strip()) for line in lines if line.strip()]


def test_the_lock_pins_every_runtime_dependency_in_its_range():
    locked = _locked()

    for requirement in _install_requires():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is missing from the lock: run `make lock`"
        assert locked[name] in requirement.specifier, (
            f"{name}=={locked[name]} is outside {requirement.specifier}: run `make lock`"
        )


def test_every_locked_package_is_pinned_with_hashes():
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text().strip())
    packages = [e for e in entries if not e.startswith("#")]

    assert len(packages) == len(_locked())
    for entry in packages:
        assert "==" in entry.splitlines()[0], entry
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


@pytest.fixture(scope="module")
def task_root(tmp_path_factory):
    """An empty directory filled like the image's task root."""
    root = tmp_path_factory.mktemp("task-root")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--require-hashes",
            "--only-binary=:all:",
            "--no-compile",
            "--target",
            str(root),
            "-r",
            str(LOCK),
        ],
        check=True,
        timeout=600,
    )
    shutil.copy2(REPO_ROOT / "wsgi.py", root / "wsgi.py")
    shutil.copytree(
        REPO_ROOT / "lifestyle_api",
        root / "lifestyle_api",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    # The Dockerfile compiles everything; the app is enough here (the rest compiles on import).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            "--invalidation-mode",
            "unchecked-hash",
            str(root / "wsgi.py"),
            str(root / "lifestyle_api"),
        ],
        check=True,
        timeout=600,
    )
    return root


@pytest.mark.slow
def test_the_task_root_holds_exactly_the_locked_distributions(task_root):
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions(path=[str(task_root)])
    }

    assert installed == _locked()


def invoke_packaged_handler(task_root, tmp_path, event: dict) -> dict:
    """The handler of the task root, alone on `sys.path`, answering `event`."""
    result_path = tmp_path / "result.json"
    payload = {"event": event, "context": asdict(FakeLambdaContext())}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LAMBDA_TASK_ROOT": str(task_root),
        "AWS_REGION": "us-east-1",
        "TABLE_NAME": "packaging-smoke",
        "CURSOR_SECRET": "packaging-smoke-secret",
    }

    child = subprocess.run(
        [sys.executable, "-I", "-S", "-c", CHILD, str(task_root), str(result_path)],
        input=json.dumps(payload),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert child.returncode == 0, child.stderr
    return json.loads(result_path.read_text())


@pytest.mark.slow
def test_the_packaged_handler_answers_a_v2_health_check(task_root, tmp_path):
    result = invoke_packaged_handler(task_root, tmp_path, make_v2_event("GET", "/health"))

    response = result["response"]
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["status"] == "ok"
    search_path = result["sys_path"]
    assert search_path[0] == str(task_root)
    assert all(p.startswith(sys.base_prefix) for p in search_path[1:]), search_path
    assert not any("site-packages" in p for p in search_path), search_path
    assert {"wsgi", "lifestyle_api", "flask", "apig_wsgi", "aws_lambda_powertools"} <= set(
        result["loaded_from_task_root"]
    )


@pytest.mark.slow
def test_the_packaged_handler_serves_the_reference_page_and_its_script(task_root, tmp_path):
    page = invoke_packaged_handler(task_root, tmp_path, make_v2_event("GET", "/docs"))["response"]
    script = invoke_packaged_handler(
        task_root, tmp_path, make_v2_event("GET", "/docs/redoc.standalone.js")
    )["response"]

    assert page["statusCode"] == 200
    assert '<script src="/docs/redoc.standalone.js">' in page["body"]
    assert script["statusCode"] == 200
    assert script["headers"]["content-type"].startswith("text/javascript")
    shipped = REPO_ROOT / "lifestyle_api" / "reference" / "static" / "redoc.standalone.js"
    assert script["body"] == shipped.read_text()
