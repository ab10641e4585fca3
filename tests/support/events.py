"""Lambda events built from real payloads (tests/lambda/events/), as apig-wsgi's tests do:
change the method, path, query, headers, body and claims; keep the rest as AWS sends it."""

from __future__ import annotations

import base64
import copy
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

EVENTS_DIR = Path(__file__).resolve().parent.parent / "lambda" / "events"


@cache
def _template(name: str) -> dict[str, Any]:
    return json.loads((EVENTS_DIR / name).read_text())


def _body(body: Any, as_base64: bool) -> tuple[str, bool]:
    if body is None:
        return "", False
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    raw = raw.encode() if isinstance(raw, str) else raw
    if as_base64:
        return base64.b64encode(raw).decode(), True
    return raw.decode(), False


def _json_headers(headers: dict[str, str] | None, body: Any) -> dict[str, str]:
    merged = {"content-type": "application/json"} if body is not None else {}
    merged.update({k.lower(): v for k, v in (headers or {}).items()})
    return merged


def make_v2_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
    base64_body: bool = False,
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event; `claims` as the JWT authorizer passes them."""
    event = copy.deepcopy(_template("http-api-v2.json"))
    event["rawPath"] = path
    event["rawQueryString"] = urlencode(query or {})
    event["queryStringParameters"] = dict(query) if query else None
    event["headers"] = _json_headers(headers, body)
    event.pop("cookies", None)
    event["pathParameters"] = None
    event["body"], event["isBase64Encoded"] = _body(body, base64_body)
    context = event["requestContext"]
    context["http"]["method"] = method
    context["http"]["path"] = path
    context["requestId"] = f"v2-{uuid.uuid4().hex[:12]}"
    context["routeKey"] = f"{method} {path}"
    if claims is None:
        context.pop("authorizer", None)
    else:
        context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return event


def make_v1_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A REST API (payload 1.0) event; `claims` as a Cognito user-pool authorizer passes them."""
    event = copy.deepcopy(_template("rest-api-v1.json"))
    all_headers = _json_headers(headers, body)
    event.update(
        path=path,
        resource=path,
        httpMethod=method,
        headers=all_headers,
        multiValueHeaders={k: [v] for k, v in all_headers.items()},
        queryStringParameters=dict(query) if query else None,
        multiValueQueryStringParameters={k: [v] for k, v in query.items()} if query else None,
    )
    event["body"], event["isBase64Encoded"] = _body(body, False)
    event["body"] = event["body"] or None
    context = event["requestContext"]
    context.update(
        httpMethod=method, path=path, resourcePath=path, requestId=f"v1-{uuid.uuid4().hex[:12]}"
    )
    context["authorizer"] = {"claims": claims} if claims is not None else {"claims": None}
    return event


def make_alb_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An ALB event with multi-value headers: no authorizer, the app verifies bearer tokens."""
    event = copy.deepcopy(_template("alb-multi-value.json"))
    merged = {k: v[0] for k, v in event["multiValueHeaders"].items()}
    merged.update(_json_headers(headers, body))
    event.update(
        httpMethod=method,
        path=path,
        multiValueHeaders={k: [v] for k, v in merged.items()},
        multiValueQueryStringParameters={k: [v] for k, v in (query or {}).items()},
    )
    event["body"], event["isBase64Encoded"] = _body(body, False)
    return event


@dataclass
class FakeLambdaContext:
    """What Powertools' `inject_lambda_context` reads from the real context."""

    function_name: str = "lifestyle-api"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:lifestyle-api"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/lifestyle-api"
    log_stream_name: str = "2026/11/26/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def response_json(response: dict[str, Any]) -> Any:
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return json.loads(body) if body else None


def response_headers(response: dict[str, Any]) -> dict[str, str]:
    """Lower-cased single-value headers, from `headers` or ALB's `multiValueHeaders`."""
    if response.get("multiValueHeaders"):
        return {k.lower(): v[-1] for k, v in response["multiValueHeaders"].items()}
    return {k.lower(): v for k, v in (response.get("headers") or {}).items()}
