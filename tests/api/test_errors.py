"""Every error status answers with the one JSON envelope, CORS and request id included."""

from __future__ import annotations

import botocore.exceptions
import pytest
from pynamodb.exceptions import GetError, PutError

from lifestyle_api.goals import service

ENVELOPE_KEYS = {"error", "message", "timestamp", "requestId"}


def assert_envelope(response, status: int, error: str | None = None):
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    body = response.json
    assert ENVELOPE_KEYS <= set(body) <= ENVELOPE_KEYS | {"details"}
    assert body["timestamp"].endswith("Z")
    assert body["requestId"] == response.headers["X-Request-Id"]
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert response.headers["Cache-Control"] == "no-store"
    if error:
        assert body["error"] == error
    return body


def test_unknown_route_404(alice):
    assert_envelope(alice.get("/nowhere"), 404, "Not Found")


def test_wrong_method_405_with_allow(alice):
    response = alice.put("/goals")
    assert_envelope(response, 405, "Method Not Allowed")
    assert "POST" in response.headers["Allow"]


def test_body_too_large_413(alice):
    response = alice.post("/goals", json={"title": "x", "description": "y" * 300_000})
    assert_envelope(response, 413, "Request Entity Too Large")


@pytest.mark.parametrize("method", ["post", "patch"])
def test_non_json_body_415(alice, method):
    goal = alice.post("/goals", json={"title": "Read"}).json
    url = "/goals" if method == "post" else f"/goals/{goal['goalId']}"
    response = getattr(alice, method)(url, data="title=x", content_type="text/plain")
    assert_envelope(response, 415, "Unsupported Media Type")
    assert alice.get(f"/goals/{goal['goalId']}").json["title"] == "Read"


def test_invalid_json_400(alice):
    response = alice.post("/goals", data="{not json", content_type="application/json")
    body = assert_envelope(response, 400, "Validation Error")
    assert body["details"]


@pytest.mark.parametrize("payload", ["[]", '"title"', "42", "null"])
def test_non_object_json_400(alice, payload):
    response = alice.post("/goals", data=payload, content_type="application/json")
    assert_envelope(response, 400, "Validation Error")


def test_deeply_nested_json_400(alice):
    payload = "[" * 100_000 + "]" * 100_000
    response = alice.post("/goals", data=payload, content_type="application/json")
    assert_envelope(response, 400)


def test_unauthenticated_401_with_challenge(client):
    response = client.get("/goals")
    assert_envelope(response, 401, "Unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_not_found_goal_404(alice):
    assert_envelope(alice.get("/goals/01JCZZZZZZZZZZZZZZZZZZZZZZ"), 404, "Not Found")


def test_non_ulid_id_404(alice):
    assert_envelope(alice.get("/goals/not-a-ulid"), 404)


def _condition_failed():
    error = {"Error": {"Code": "ConditionalCheckFailedException", "Message": "no"}}
    return PutError("Failed to put item", botocore.exceptions.ClientError(error, "PutItem"))


def test_lost_race_on_every_retry_409(alice, monkeypatch):
    goal = alice.post("/goals", json={"title": "Read"}).json

    def always_conflict(self, *args, **kwargs):
        raise _condition_failed()

    monkeypatch.setattr(service.GoalItem, "save", always_conflict)
    response = alice.patch(f"/goals/{goal['goalId']}", json={"title": "Read more"})
    assert_envelope(response, 409, "Conflict")


def test_throttled_dynamodb_503_with_retry_after(alice, monkeypatch):
    error = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}}

    def throttled(*args, **kwargs):
        raise GetError("Failed", botocore.exceptions.ClientError(error, "GetItem"))

    monkeypatch.setattr(service.GoalItem, "get", throttled)
    response = alice.patch("/goals/01JCZZZZZZZZZZZZZZZZZZZZZZ", json={"title": "x"})
    assert_envelope(response, 503, "Service Unavailable")
    assert response.headers["Retry-After"] == "1"


def test_unreachable_dynamodb_503(alice, monkeypatch):
    def unreachable(*args, **kwargs):
        raise botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9")

    monkeypatch.setattr(service, "list_goals", unreachable)
    assert_envelope(alice.get("/goals"), 503)


def test_unexpected_exception_500_hides_details(alice, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("internal detail")

    monkeypatch.setattr(service, "list_goals", broken)
    response = alice.get("/goals")
    body = assert_envelope(response, 500, "Internal Server Error")
    assert body["message"] == "Internal server error."
    assert b"internal detail" not in response.data
    assert b"Traceback" not in response.data


def test_preflight_204(client):
    response = client.options(
        "/goals/01JCZZZZZZZZZZZZZZZZZZZZZZ",
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "PATCH"},
    )
    assert response.status_code == 204
    assert response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert response.headers["Access-Control-Allow-Headers"] == (
        "Authorization, Content-Type, Idempotency-Key, If-Match"
    )
    assert response.headers["Access-Control-Expose-Headers"] == (
        "ETag, Location, X-Request-Id, Idempotent-Replayed, Retry-After"
    )


def test_success_carries_common_headers(alice):
    response = alice.get("/goals")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Request-Id"]
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"


def test_an_empty_body_where_one_is_required_is_400(alice):
    goal = alice.post("/goals", json={"title": "Walk"}).json
    for method, path in [("POST", "/goals"), ("PATCH", f"/goals/{goal['goalId']}")]:
        response = alice.open(path, method=method, data=b"", content_type="application/json")
        body = assert_envelope(response, 400, "Validation Error")
        assert body["details"] == {"_schema": ["Send the body as a JSON object."]}
    no_content_type = alice.patch(f"/goals/{goal['goalId']}")
    assert_envelope(no_content_type, 400, "Validation Error")


def test_openapi_document_is_public_and_marks_public_routes(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    assert spec["paths"]["/health"]["get"]["security"] == []
    assert "security" not in spec["paths"]["/goals"]["get"]
    assert spec["security"] == [{"bearerAuth": []}]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
