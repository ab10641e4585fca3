"""Fixtures for the contract as client teams use it: the served OpenAPI document on disk,
the npm tools that check it (installed by `make openapi-tools`), the API running as
`make run` runs it, and the folder where tests keep what a person may want to look at."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.local_run import PROJECT_ROOT, LocalRun
from tests.support.routes import openapi_document

TOOLS = PROJECT_ROOT / "tools" / "openapi"
NODE_BIN = TOOLS / "node_modules" / ".bin"
OUTPUT = PROJECT_ROOT / "test-output"
TOOL_TIMEOUT_SECONDS = 300


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    """The OpenAPI document the app serves at `GET /openapi.json`."""
    return openapi_document()


@pytest.fixture(scope="session")
def document_file(document, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_text(json.dumps(document, indent=2))
    return path


def require_node_package(name: str, path: Path | None = None) -> None:
    """A package of tools/openapi/package.json must be installed; its absence is a failure."""
    if shutil.which("node") is None or not (path or TOOLS / "node_modules" / name).exists():
        pytest.fail(
            f"{name} is not installed: run `make openapi-tools` (npm ci in {TOOLS}; it needs "
            "Node.js 20.19 or later), as `make test` does."
        )


def node_tool(name: str) -> str:
    """A command of a package installed from tools/openapi/package.json."""
    path = NODE_BIN / name
    require_node_package(name, path)
    return str(path)


def run_tool(*command: str, cwd: Path = TOOLS) -> subprocess.CompletedProcess[str]:
    """Run a checker; its output is kept for the assertion message."""
    env = {
        **os.environ,
        # Redocly would report usage and look for updates on a network these runs lack.
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT_SECONDS,
        check=False,
    )


@pytest.fixture(scope="session")
def local_api() -> Iterator[LocalRun]:
    """The API as `make run` serves it: Flask on a loopback port, the embedded emulator
    (DynamoDB, Cognito with sign-ups confirmed at once) and the demo user."""
    run = LocalRun()
    try:
        run.wait_for_health()
        yield run
    finally:
        run.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """test-output/: what the tests leave for a person to look at (git-ignored)."""
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
