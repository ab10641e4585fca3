"""The served OpenAPI document passes Spectral (`spectral:oas`) and Redocly (`recommended`)
with no error and no warning. The rulesets are tools/openapi/.spectral.yaml and
tools/openapi/redocly.yaml; a rule is off there only with its reason written beside it."""

from __future__ import annotations

import json
import re

from tests.contract.conftest import TOOLS, node_tool, run_tool


def test_spectral_finds_no_error_and_no_warning(document_file):
    result = run_tool(
        node_tool("spectral"),
        "lint",
        "--ruleset",
        str(TOOLS / ".spectral.yaml"),
        "--format",
        "json",
        "--fail-severity",
        "warn",
        "--quiet",
        str(document_file),
    )

    findings = json.loads(result.stdout or "[]")
    problems = [f"{f['code']} at {'.'.join(map(str, f['path']))}: {f['message']}" for f in findings]
    assert problems == [], "\n".join(problems)
    assert result.returncode == 0, result.stderr


def test_redocly_finds_no_error_and_no_warning(document_file):
    result = run_tool(
        node_tool("redocly"),
        "lint",
        "--config",
        str(TOOLS / "redocly.yaml"),
        "--format",
        "json",
        str(document_file),
    )

    report = json.loads(result.stdout)
    problems = [
        f"{p['severity']} {p['ruleId']} at {p['location'][0]['pointer']}: {p['message']}"
        for p in report["problems"]
    ]
    assert problems == [], "\n".join(problems)
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}
    assert result.returncode == 0, result.stderr


def test_every_rule_turned_off_says_why():
    for ruleset in (TOOLS / ".spectral.yaml", TOOLS / "redocly.yaml"):
        lines = ruleset.read_text().splitlines()
        for number, line in enumerate(lines):
            if re.search(r":\s*(off|false)\s*$", line):
                reason = lines[number - 1].strip()
                assert reason.startswith("#"), f"{ruleset.name}: {line.strip()} has no reason"
