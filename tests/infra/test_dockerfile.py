"""The Dockerfile builds the Lambda image as the issue asks: AWS's Python 3.12 base, the
hash-checked lock installed into the task root, the app copied and compiled, nothing else
in the build context, and a CMD that names a handler the app really has."""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass

from tests.support.infra import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
BASE_IMAGE = "public.ecr.aws/lambda/python:3.12"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def instructions() -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        result.append(Instruction(keyword.upper(), " ".join(arguments.split())))
    return result


def _of(keyword: str) -> list[str]:
    return [i.arguments for i in instructions() if i.keyword == keyword]


def test_the_base_image_is_the_lambda_python_3_12_image():
    assert _of("FROM") == [BASE_IMAGE]


def test_the_cmd_names_an_importable_handler():
    (cmd,) = _of("CMD")
    (handler_name,) = json.loads(cmd)
    module_name, _, attribute = handler_name.rpartition(".")

    handler = getattr(importlib.import_module(module_name), attribute)

    assert handler_name == "wsgi.handler"
    assert callable(handler)
    assert handler.__module__ == "wsgi"


def test_dependencies_come_from_the_lock_with_hashes_and_nothing_resolved():
    (install,) = [run for run in _of("RUN") if "pip install" in run]

    for flag in ("--no-deps", "--require-hashes", "--only-binary=:all:", "--no-cache-dir"):
        assert flag in install, flag
    assert '--target "${LAMBDA_TASK_ROOT}"' in install
    assert "-r /tmp/lock.txt" in install
    assert "COPY requirements/lock.txt /tmp/lock.txt" in [
        f"{i.keyword} {i.arguments}" for i in instructions()
    ]


def test_only_the_app_is_copied_and_it_is_compiled():
    copies = [c.split()[0] for c in _of("COPY")]

    assert copies == ["requirements/lock.txt", "wsgi.py", "lifestyle_api/"]
    assert any("compileall" in run and "${LAMBDA_TASK_ROOT}" in run for run in _of("RUN"))


def test_the_build_context_holds_only_what_the_image_copies():
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    allowed = {p[1:] for p in patterns if p.startswith("!")}
    copies = {c.split()[0] for c in _of("COPY")}

    assert patterns[0] == "*", "everything is excluded first"
    assert allowed == copies
    assert "**/__pycache__" in patterns
