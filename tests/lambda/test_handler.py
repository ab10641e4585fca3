"""Requests as API Gateway (HTTP API v2, REST API v1) and ALB send them, through `wsgi.handler`
with a fake Lambda context: status, headers, body, base64, identity."""

from __future__ import annotations

import json

import pytest

from lifestyle_api import MAX_BODY_BYTES
from tests.support.events import (
    make_alb_event,
    make_v1_event,
    make_v2_event,
    response_headers,
    response_json,
)
from tests.support.identity import TEST_CLIENT_ID, SigningKey

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool"

ALICE = {"sub": "alice-sub", "token_use": "access", "client_id": TEST_CLIENT_ID, "iss": ISSUER}
GOAL = {"title": "Drink water", "category": "hydration"}


def test_v2_health_is_public(lambda_handler):
    response = lambda_handler(make_v2_event("GET", "/health"))
    assert response["statusCode"] == 200
    assert response_json(response) == {"status": "ok", "version": "0.1.0"}
    headers = response_headers(response)
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-store"
    assert headers["access-control-allow-origin"] == "https://app.example.com"
    assert "X-Request-Id" in headers["access-control-expose-headers"]


def test_v2_request_id_is_api_gateways(lambda_handler):
    event = make_v2_event("GET", "/health")
    response = lambda_handler(event)
    assert response_headers(response)["x-request-id"] == event["requestContext"]["requestId"]


def test_v2_goal_lifecycle_with_jwt_authorizer_claims(lambda_handler):
    created = lambda_handler(make_v2_event("POST", "/goals", body=GOAL, claims=ALICE))
    assert created["statusCode"] == 201
    goal = response_json(created)
    headers = response_headers(created)
    assert headers["location"] == f"/goals/{goal['goalId']}"
    assert headers["etag"] == '"1"'

    fetched = lambda_handler(make_v2_event("GET", f"/goals/{goal['goalId']}", claims=ALICE))
    assert fetched["statusCode"] == 200
    assert response_json(fetched)["title"] == "Drink water"

    listed = lambda_handler(
        make_v2_event("GET", "/goals", query={"category": "hydration"}, claims=ALICE)
    )
    assert [g["goalId"] for g in response_json(listed)["items"]] == [goal["goalId"]]

    other = {**ALICE, "sub": "mallory-sub"}
    assert (
        lambda_handler(make_v2_event("GET", f"/goals/{goal['goalId']}", claims=other))["statusCode"]
        == 404
    )

    deleted = lambda_handler(make_v2_event("DELETE", f"/goals/{goal['goalId']}", claims=ALICE))
    assert deleted["statusCode"] == 204
    assert deleted["body"] == ""


def test_v2_base64_body(lambda_handler):
    event = make_v2_event("POST", "/goals", body=GOAL, claims=ALICE, base64_body=True)
    response = lambda_handler(event)
    assert response["statusCode"] == 201
    assert response_json(response)["title"] == "Drink water"


def test_v2_strict_slashes_off(lambda_handler):
    response = lambda_handler(make_v2_event("GET", "/goals/", claims=ALICE))
    assert response["statusCode"] == 200


def test_v2_id_token_claims_are_refused(lambda_handler):
    claims = {**ALICE, "token_use": "id"}
    response = lambda_handler(make_v2_event("GET", "/goals", claims=claims))
    assert response["statusCode"] == 401
    assert response_json(response)["error"] == "Unauthorized"


def test_v2_without_claims_or_token_is_401(lambda_handler):
    response = lambda_handler(make_v2_event("GET", "/goals"))
    assert response["statusCode"] == 401
    body = response_json(response)
    assert set(body) == {"error", "message", "timestamp", "requestId"}
    assert response_headers(response)["access-control-allow-origin"] == "https://app.example.com"


def test_v2_validation_error_envelope(lambda_handler):
    response = lambda_handler(make_v2_event("POST", "/goals", body={"title": ""}, claims=ALICE))
    assert response["statusCode"] == 400
    body = response_json(response)
    assert body["error"] == "Validation Error"
    assert "title" in body["details"]
    assert body["timestamp"].endswith("Z")


def test_v2_preflight(lambda_handler):
    response = lambda_handler(make_v2_event("OPTIONS", "/goals"))
    assert response["statusCode"] == 204
    headers = response_headers(response)
    assert headers["access-control-allow-headers"] == (
        "Authorization, Content-Type, Idempotency-Key, If-Match"
    )
    assert "PATCH" in headers["access-control-allow-methods"]


def test_v1_rest_api_with_cognito_authorizer(lambda_handler):
    created = lambda_handler(make_v1_event("POST", "/goals", body=GOAL, claims=ALICE))
    assert created["statusCode"] == 201
    goal = response_json(created)
    fetched = lambda_handler(make_v1_event("GET", f"/goals/{goal['goalId']}", claims=ALICE))
    assert fetched["statusCode"] == 200
    assert response_headers(fetched)["x-request-id"].startswith("v1-")
    assert lambda_handler(make_v1_event("GET", "/goals"))["statusCode"] == 401


def test_alb_with_bearer_token_verified_by_the_app(lambda_handler, bearer):
    created = lambda_handler(make_alb_event("POST", "/goals", body=GOAL, headers=bearer("alb-1")))
    assert created["statusCode"] == 201
    assert "multiValueHeaders" in created
    goal = response_json(created)
    own = lambda_handler(make_alb_event("GET", f"/goals/{goal['goalId']}", headers=bearer("alb-1")))
    assert own["statusCode"] == 200
    other = lambda_handler(
        make_alb_event("GET", f"/goals/{goal['goalId']}", headers=bearer("alb-2"))
    )
    assert other["statusCode"] == 404


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"iss": "https://cognito-idp.us-east-1.amazonaws.com/other"}, id="issuer"),
        pytest.param({"client_id": "someone-elses-client"}, id="client"),
        pytest.param({"token_use": "id"}, id="id-token"),
        pytest.param({"exp": 1_000_000_000}, id="expired"),
        pytest.param({"sub": None}, id="no-subject"),
    ],
)
def test_alb_bad_tokens_are_401(lambda_handler, bearer, claims):
    headers = bearer(**{"sub": "alb-1", **claims})
    response = lambda_handler(make_alb_event("GET", "/goals", headers=headers))
    assert response["statusCode"] == 401
    assert response_json(response)["error"] == "Unauthorized"


def test_alb_token_signed_by_another_key_is_401(lambda_handler):
    forged = SigningKey().token(ISSUER, sub="alb-1")  # same kid, different key
    response = lambda_handler(
        make_alb_event("GET", "/goals", headers={"authorization": f"Bearer {forged}"})
    )
    assert response["statusCode"] == 401


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-jwt"])
def test_alb_malformed_authorization_is_401(lambda_handler, header):
    response = lambda_handler(make_alb_event("GET", "/goals", headers={"authorization": header}))
    assert response["statusCode"] == 401


def test_alb_unknown_route_is_json_404(lambda_handler):
    response = lambda_handler(make_alb_event("GET", "/nowhere"))
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"] == "Not Found"


def test_a_body_over_256_kb_is_413_in_the_envelope(lambda_handler):
    event = make_v2_event(
        "POST", "/goals", body={"title": "x" * (MAX_BODY_BYTES + 1)}, claims=ALICE
    )
    response = lambda_handler(event)
    assert response["statusCode"] == 413
    body = response_json(response)
    assert set(body) >= {"error", "message", "timestamp", "requestId"}
    assert body["requestId"] == event["requestContext"]["requestId"]
    assert response_headers(response)["content-type"] == "application/json"
