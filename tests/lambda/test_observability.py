"""Each invocation logs JSON with its request id; the first emits a cold-start metric."""

from __future__ import annotations

import json

from aws_lambda_powertools.metrics.provider import cold_start

from tests.support.events import make_v2_event
from tests.support.identity import TEST_CLIENT_ID

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool"  # the conftest's


def _json_lines(text: str) -> list[dict]:
    lines = []
    for line in text.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


def test_cold_start_metric_then_none(lambda_handler, capfd, monkeypatch):
    monkeypatch.setattr(cold_start, "is_cold_start", True)
    lambda_handler(make_v2_event("GET", "/health"))
    first = _json_lines(capfd.readouterr().out)
    metrics = [line for line in first if "_aws" in line]
    assert any(m.get("ColdStart") == [1.0] or m.get("ColdStart") == 1.0 for m in metrics)

    lambda_handler(make_v2_event("GET", "/health"))
    second = _json_lines(capfd.readouterr().out)
    assert not any("ColdStart" in line for line in second)


def test_unexpected_error_is_logged_with_request_id_and_hidden_from_client(
    lambda_handler, log_output, monkeypatch
):
    from lifestyle_api.goals import service

    def explode(*_args, **_kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(service, "list_goals", explode)
    claims = {"sub": "alice-sub", "token_use": "access", "client_id": TEST_CLIENT_ID, "iss": ISSUER}
    event = make_v2_event("GET", "/goals", claims=claims)
    response = lambda_handler(event)
    assert response["statusCode"] == 500
    body = json.loads(response["body"])
    assert body["message"] == "Internal server error."
    assert "hunter2" not in response["body"]
    assert "Traceback" not in response["body"]

    logs = _json_lines(log_output.getvalue())
    errors = [line for line in logs if line.get("level") == "ERROR"]
    assert errors, logs
    assert errors[0]["request_id"] == event["requestContext"]["requestId"]
    assert "hunter2" in errors[0]["exception"]
    assert "function_request_id" in errors[0]
