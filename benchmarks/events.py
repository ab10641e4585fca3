"""What the benchmarks send: API Gateway v2 events, a Lambda context, the requests of a
container's life (`FEATURES`) and the routes timed warm (`WARM_ROUTES`).

The benchmark's child processes import this module on its own (they run with only the task
root and this directory on their path), so it uses the standard library alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

# The app client the benchmarks' apps check tokens against, where no user pool is made.
BENCH_CLIENT_ID = "bench-client"
WARM_USER = "bench-warm"
WRITER_USER = "bench-writer"
# Check-ins go on days the seeded history left free: a new day for every call.
FREE_DAYS_FROM = 300


class Context:
    function_name = "lifestyle-api"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:lifestyle-api"
    aws_request_id = "bench"
    log_group_name = "/aws/lambda/lifestyle-api"
    log_stream_name = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def v2_event(
    method: str, path: str, sub: str | None, body: Any = None, query: str = ""
) -> dict[str, Any]:
    """An HTTP API (v2) event; `sub` is the caller the JWT authorizer verified (None: none)."""
    context: dict[str, Any] = {
        "http": {
            "method": method,
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": "bench",
        },
        "requestId": "bench",
        "stage": "$default",
    }
    if sub is not None:
        context["authorizer"] = {"jwt": {"claims": gateway_claims(sub)}}
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": "api.example.com", "content-type": "application/json"},
        "requestContext": context,
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


EventBuilder = Callable[[int], dict[str, Any]]


def _instant(day: date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:30:00+01:00"


def features(
    sub: str, goal_id: str, today: date, login: dict[str, str]
) -> list[tuple[str, EventBuilder]]:
    """The first request of each feature a new container serves, in order; each builder
    takes the call's number, so repeats make new things rather than replay the first."""
    yesterday = today - timedelta(days=1)

    def post(path: str, body: Callable[[int], Any]) -> EventBuilder:
        return lambda i: v2_event("POST", path, sub, body(i))

    def get(path: str, query: str = "") -> EventBuilder:
        return lambda _i: v2_event("GET", path, sub, query=query)

    return [
        ("POST /goals", post("/goals", lambda i: {"title": f"Stretch {i}", "category": "fitness"})),
        ("GET /me", get("/me")),
        (
            "POST /activities",
            post(
                "/activities",
                lambda i: {
                    "type": "run",
                    "startedAt": _instant(yesterday, 6 + i % 12),
                    "durationMinutes": 30,
                },
            ),
        ),
        (
            "POST /meals",
            post(
                "/meals",
                lambda i: {
                    "mealType": "lunch",
                    "eatenAt": _instant(yesterday, 6 + i % 12),
                    "name": "Rice bowl",
                    "items": [
                        {
                            "name": "Rice",
                            "quantity": 200,
                            "unit": "g",
                            "caloriesKcal": 260,
                            "proteinG": 5,
                            "carbsG": 56,
                            "fatG": 1,
                        }
                    ],
                },
            ),
        ),
        (
            "POST /metrics",
            post(
                "/metrics",
                lambda i: {
                    "type": "weight",
                    "value": 72.5,
                    "unit": "kg",
                    "recordedAt": _instant(yesterday, 6 + i % 12),
                },
            ),
        ),
        ("GET /summaries/daily", get("/summaries/daily")),
        (
            "POST /goals/{id}/check-ins",
            post(
                f"/goals/{goal_id}/check-ins",
                lambda i: {"date": (today - timedelta(days=FREE_DAYS_FROM + i)).isoformat()},
            ),
        ),
        ("GET /goals/{id}", get(f"/goals/{goal_id}")),
        ("POST /coach/insights", post("/coach/insights", lambda _i: {"period": "week"})),
        ("GET /me/export", get("/me/export")),
        (
            "POST /auth/login",
            lambda _i: v2_event("POST", "/auth/login", None, login),
        ),
    ]


NEW_GOAL = {"title": "Stretch", "category": "fitness"}
WARM_ROUTES = (
    "GET /goals/{id}",
    "GET /goals",
    "POST /goals",
    "POST /goals/{id}/check-ins",
    "GET /summaries/daily",
)


def warm_routes(goal_id: str, today: date) -> dict[str, EventBuilder]:
    """The routes timed warm, against the plain-boto3 handler (`baseline.py`) doing the
    same DynamoDB work; `goal_id` is the handler's own goal (each checks in on its own)."""

    def same(method: str, path: str, body: Any = None, sub: str = WARM_USER) -> EventBuilder:
        return lambda _i: v2_event(method, path, sub, body)

    def check_in(i: int) -> dict[str, Any]:
        day = today - timedelta(days=FREE_DAYS_FROM + i)
        return v2_event("POST", f"/goals/{goal_id}/check-ins", WARM_USER, {"date": day.isoformat()})

    return {
        "GET /goals/{id}": same("GET", f"/goals/{goal_id}"),
        "GET /goals": same("GET", "/goals"),
        # Goals are created for another user, so the reads keep their size.
        "POST /goals": same(
            "POST", "/goals", {"title": "Stretch", "category": "fitness"}, WRITER_USER
        ),
        "POST /goals/{id}/check-ins": check_in,
        "GET /summaries/daily": same("GET", "/summaries/daily"),
    }


def gateway_claims(sub: str) -> dict[str, str]:
    """The claims the gateway's JWT authorizer passes for `sub`, as the app in this process
    is configured to check them: its app client and, with a user pool, the pool's issuer."""
    claims = {"sub": sub, "token_use": "access", "client_id": os.environ["COGNITO_CLIENT_ID"]}
    pool = os.environ.get("COGNITO_USER_POOL_ID")
    if pool:
        claims["iss"] = f"https://cognito-idp.{os.environ['AWS_REGION']}.amazonaws.com/{pool}"
    return claims
