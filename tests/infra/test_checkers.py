"""The offline checkers pass: checkov on the Terraform, the Dockerfile and the workflows,
hadolint on the Dockerfile, GitHub's workflow schema (check-jsonschema) and zizmor on the
workflows. Each runs from .venv-infra (`make infra-tools`, a dependency of `make test`).
A checkov skip is written next to its resource, with its reason, and is still needed."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.infra import REPO_ROOT, TERRAFORM_DIR, WORKFLOWS_DIR, run_tool

SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")
DOCKERFILE = REPO_ROOT / "Dockerfile"


def _json_documents(text: str) -> list:
    """checkov prints one JSON document per scanned source kind, one after the other."""
    decoder, documents, position = json.JSONDecoder(), [], 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        document, position = decoder.raw_decode(text, position)
        documents.extend(document if isinstance(document, list) else [document])
    return documents


def _skip_comments(paths) -> list[tuple[str, str, str]]:
    found = []
    for path in paths:
        for match in SKIP_COMMENT.finditer(path.read_text()):
            found.append((path.name, match.group(1), (match.group(2) or "").strip()))
    return found


@pytest.mark.slow
def test_checkov_passes_on_terraform_the_dockerfile_and_the_workflows():
    # Two runs rather than three (checkov's start-up is most of its cost): it does not mix
    # --directory and --file in one run.
    options = ("--skip-download", "--compact", "--output", "json")
    directories = run_tool(
        "checkov",
        *("--directory", str(TERRAFORM_DIR), "--directory", str(WORKFLOWS_DIR)),
        *("--framework", "terraform", "github_actions", *options),
    )
    dockerfile = run_tool(
        "checkov", "--file", str(DOCKERFILE), "--framework", "dockerfile", *options
    )
    reports = {
        report["check_type"]: report
        for result in (directories, dockerfile)
        for report in _json_documents(result.stdout)
    }

    failed = [
        f"{check['check_id']} {check['resource']} ({check['file_path']}): {check['check_name']}"
        for report in reports.values()
        for check in report["results"]["failed_checks"]
    ]
    assert not failed, "checkov failed:\n" + "\n".join(failed)
    assert directories.returncode == 0, directories.stderr
    assert dockerfile.returncode == 0, dockerfile.stderr
    assert set(reports) == {"terraform", "dockerfile", "github_actions"}
    for kind, report in reports.items():
        assert report["summary"]["passed"] > 0, kind
        assert report["summary"]["parsing_errors"] == 0, kind

    # Every skip written in a file still matches a finding, and nothing else is skipped.
    skipped = {
        kind: {check["check_id"] for check in report["results"].get("skipped_checks", [])}
        for kind, report in reports.items()
    }
    written_tf = {check_id for _, check_id, _ in _skip_comments(TERRAFORM_DIR.rglob("*.tf"))}
    written_docker = {check_id for _, check_id, _ in _skip_comments([DOCKERFILE])}
    assert skipped["terraform"] == written_tf
    assert skipped["dockerfile"] == written_docker
    assert skipped["github_actions"] == set()


def test_every_checkov_skip_gives_its_reason():
    paths = [*TERRAFORM_DIR.rglob("*.tf"), DOCKERFILE]
    skips = _skip_comments(paths)

    assert skips
    for name, check_id, reason in skips:
        assert len(reason) >= 20, f"{name}: skip of {check_id} needs a reason"


def test_hadolint_passes_on_the_dockerfile():
    result = run_tool("hadolint", "--no-color", "Dockerfile")

    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_follow_githubs_workflow_schema():
    workflows = sorted(str(p) for p in WORKFLOWS_DIR.glob("*.yml"))

    result = run_tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)

    assert len(workflows) == 2
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_in_the_workflows():
    result = run_tool(
        "zizmor", "--offline", "--no-progress", "--format", "plain", str(WORKFLOWS_DIR)
    )

    assert result.returncode == 0, result.stdout + result.stderr
