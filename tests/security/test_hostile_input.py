"""Hostile input on every route (API.md "Input limits"), generated from the routes and the
OpenAPI document: a lone surrogate or a NUL is a 400 wherever a string enters (body, query,
path, the headers that carry values); JSON numbers that Python or DynamoDB cannot take are a
400 at parse time, on public routes as on the others; patterns match the whole value. A
refused request stores nothing and reaches no one (Cognito is a Stubber with nothing queued:
any call would fail the test with a 500)."""

from __future__ import annotations

import importlib

import pytest
from botocore.stub import Stubber

from lifestyle_api.accounts.service import cognito_client
from lifestyle_api.db.table import create_table
from tests.conftest import TEST_SETTINGS
from tests.support.cognito import STUBBED_POOL, create_user_pool
from tests.support.events import FakeLambdaContext, make_v2_event, response_json
from tests.support.hostile import (
    DIGITS_OVER_PYTHONS_LIMIT,
    HOSTILE_NUMBERS,
    HOSTILE_STRINGS,
    LONE_SURROGATE,
    STORABLE_NUMBERS,
    Literal,
    leaves,
    lookup,
    replaced,
    schema_paths,
    to_json_text,
)
from tests.support.identity import TEST_CLIENT_ID
from tests.support.resources import (
    LIST_QUERIES,
    Resources,
    goal_body,
    metric_body,
    partition,
    valid_body,
)
from tests.support.routes import Route, app_routes, query_parameters, request_schema

ALICE = "alice-sub"
ENVELOPE = {"error", "message", "timestamp", "requestId"}
BODY_ROUTES = [r for r in app_routes() if r.method in {"POST", "PATCH"} and request_schema(r)]
QUERY_ROUTES = [r for r in app_routes() if r.method == "GET" and query_parameters(r)]
# A batch validates each item on its own (API.md): a bad item is `invalid`, not a 400.
PER_ITEM_ARRAYS = {("POST", "/metrics/batch"): "items"}
NUMBER_PROBLEM = "number"


@pytest.fixture
def settings_overrides():
    # Cognito calls go to a pool only the Stubber answers; claims keep the test client id.
    return STUBBED_POOL.settings(COGNITO_CLIENT_ID=TEST_CLIENT_ID)


@pytest.fixture
def cognito(app):
    """The app's Cognito client with nothing queued: a call that reaches it fails the test."""
    with Stubber(cognito_client(app.extensions["lifestyle_api.settings"])) as stub:
        yield stub


def assert_envelope(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert set(body) >= ENVELOPE
    return body


def prepare(client, route: Route) -> tuple[str, dict]:
    url, params = Resources(client).fill(route)
    return url, valid_body(route, params)


def send_text(client, route: Route, url: str, text: str, **headers: str):
    return client.open(
        url, method=route.method, data=text, content_type="application/json", headers=headers
    )


def per_item(route: Route, path: tuple) -> bool:
    return PER_ITEM_ARRAYS.get((route.method, route.shape)) == path[0] and len(path) >= 3


def refused_naming(route: Route, path: tuple, response) -> bool:
    """A 400 naming the field at `path`, or inside a per-item array, that item `invalid`."""
    body = response.get_json() or {}
    if per_item(route, path):
        results = body.get("results") or []
        return response.status_code == 200 and any(
            r["index"] == path[1] and r["status"] == "invalid" and path[2] in r.get("errors", {})
            for r in results
        )
    return response.status_code == 400 and path[0] in (body.get("details") or {})


# ---- numbers ------------------------------------------------------------------------------


def test_an_integer_of_5000_digits_on_login_is_400(client, cognito):
    text = '{"email": "ada@example.com", "password": ' + DIGITS_OVER_PYTHONS_LIMIT + "}"
    response = client.post("/auth/login", data=text, content_type="application/json")
    body = assert_envelope(response, 400)
    assert NUMBER_PROBLEM in " ".join(body["details"]["_schema"])


@pytest.mark.parametrize("route", BODY_ROUTES, ids=str)
def test_numbers_python_or_dynamodb_cannot_take_are_400_when_parsed(alice, cognito, route):
    url, body = prepare(alice, route)
    body = body or {"value": None}  # an empty body gets a member to hold the number
    path, _value = next(leaves(body))
    before = partition(ALICE)
    failures = []
    for name, literal in HOSTILE_NUMBERS.items():
        text = to_json_text(replaced(body, path, Literal(literal)))
        # The idempotency hook reads the body before the view does: both must refuse it.
        key_headers = [{"Idempotency-Key": f"hostile-{len(literal)}"}] if route.idempotent else []
        for headers in ({}, *key_headers):
            response = send_text(alice, route, url, text, **headers)
            details = (response.get_json() or {}).get("details") or {}
            problems = " ".join(details.get("_schema", []))
            if response.status_code != 400 or NUMBER_PROBLEM not in problems:
                failures.append(f"{name}: {response.status_code} {response.get_json()}")
    assert partition(ALICE) == before
    assert not failures, f"{route}:\n" + "\n".join(failures)


@pytest.mark.parametrize(("name", "literal"), STORABLE_NUMBERS.items())
def test_numbers_at_the_edges_pass_the_parser_for_the_field_to_judge(alice, name, literal):
    text = '{"dailyTargets": {"caloriesKcal": ' + literal + "}}"
    response = alice.patch("/me", data=text, content_type="application/json")
    if response.status_code == 200:
        stored = float(literal) if abs(float(literal)) >= 1e-130 else 0
        assert response.get_json()["dailyTargets"]["caloriesKcal"] == stored
    else:  # over the target's maximum: the field says so, not the parser
        assert list(assert_envelope(response, 400)["details"]) == ["dailyTargets"]


# ---- strings in bodies ----------------------------------------------------------------------


def test_a_lone_surrogate_in_a_goal_title_is_400(alice):
    response = alice.post("/goals", json={**goal_body(), "title": LONE_SURROGATE})
    assert list(assert_envelope(response, 400)["details"]) == ["title"]
    assert partition(ALICE) == []


def test_a_lone_surrogate_in_a_metric_source_name_is_400(alice):
    metric = metric_body()
    metric["source"]["name"] = LONE_SURROGATE
    response = alice.post("/metrics", json=metric)
    assert list(assert_envelope(response, 400)["details"]) == ["source"]
    assert partition(ALICE) == []


def test_one_item_with_a_lone_surrogate_spoils_only_itself_in_a_batch(alice):
    hostile = metric_body()
    hostile["source"]["name"] = LONE_SURROGATE
    response = alice.post("/metrics/batch", json={"items": [metric_body(), hostile]})
    assert response.status_code == 200, response.get_json()
    first, second = response.get_json()["results"]
    assert first["status"] == "created"
    assert second["status"] == "invalid"
    assert list(second["errors"]) == ["source"]


def test_a_name_with_a_lone_surrogate_creates_no_account_and_a_retry_succeeds(app, aws):
    pool = create_user_pool()
    settings = app.extensions["lifestyle_api.settings"]
    app.extensions["lifestyle_api.settings"] = settings._replace(
        cognito_user_pool_id=pool.pool_id, cognito_client_id=pool.client_id
    )
    client = app.test_client()
    body = {"email": "ada@example.com", "password": "Correct-Horse-9"}
    refused = client.post("/auth/register", json={**body, "name": LONE_SURROGATE})
    assert list(assert_envelope(refused, 400)["details"]) == ["name"]
    assert pool.user("ada@example.com") is None
    retried = client.post("/auth/register", json={**body, "name": "Ada"})
    assert retried.status_code == 201, retried.get_json()


@pytest.mark.parametrize("route", BODY_ROUTES, ids=str)
def test_every_string_in_a_body_refuses_surrogates_and_nul(alice, cognito, route):
    url, body = prepare(alice, route)
    before = partition(ALICE)
    failures = []
    for path, schema in schema_paths(request_schema(route)):
        if not path or schema.get("type") != "string":
            continue
        try:
            lookup(body, path)
        except (KeyError, IndexError):
            continue
        for name, hostile in HOSTILE_STRINGS.items():
            probe = replaced(body, path, hostile)
            if per_item(route, path):  # in every item, so that each is refused
                for index in range(len(body[path[0]])):
                    probe = replaced(probe, (path[0], index, *path[2:]), hostile)
            response = alice.open(url, method=route.method, json=probe)
            if not refused_naming(route, path, response):
                failures.append(f"{path} with {name}: {response.status_code} {response.json}")
    assert partition(ALICE) == before
    assert not failures, f"{route}:\n" + "\n".join(failures)


# ---- patterns match the whole value -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/auth/confirm", "/auth/reset-password"])
def test_a_code_with_a_trailing_newline_is_400(client, cognito, path):
    body = {"email": "ada@example.com", "code": "123456\n", "newPassword": "Battery-Staple-7"}
    if path == "/auth/confirm":
        del body["newPassword"]
    response = client.post(path, json=body)
    assert list(assert_envelope(response, 400)["details"]) == ["code"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/auth/register", {"email": "ada@example.com", "password": "Correct Horse-9"}),
        ("/auth/reset-password", {"email": "ada@example.com", "code": "1", "newPassword": "a b"}),
    ],
)
def test_a_password_cognito_would_refuse_as_a_parameter_is_400(client, cognito, path, body):
    response = client.post(path, json=body)
    assert set(assert_envelope(response, 400)["details"]) & {"password", "newPassword"}


def test_an_email_cognito_would_refuse_as_a_username_is_400(client, cognito):
    response = client.post(
        "/auth/register", json={"email": '"\x01"@example.com', "password": "Correct-Horse-9"}
    )
    assert list(assert_envelope(response, 400)["details"]) == ["email"]


def test_a_goal_id_with_a_trailing_newline_is_400(alice):
    goal_id = alice.post("/goals", json=goal_body()).get_json()["goalId"]
    response = alice.post(
        "/activities",
        json={
            "type": "walk",
            "startedAt": "2026-11-26T07:30:00+01:00",
            "durationMinutes": 30,
            "goalId": goal_id + "\n",
        },
    )
    assert list(assert_envelope(response, 400)["details"]) == ["goalId"]


@pytest.mark.parametrize(
    "instant", ["2026-11-26T07:30:00+01:00\x00", "2026-11-26T07:30:00+01:00\n", "20261126T0730Z"]
)
def test_an_instant_is_the_whole_value(alice, instant):
    response = alice.post(
        "/activities", json={"type": "walk", "startedAt": instant, "durationMinutes": 30}
    )
    assert list(assert_envelope(response, 400)["details"]) == ["startedAt"]


@pytest.mark.parametrize("day", ["20261126", "2026-W48-4", "2026-11-26\x00"])
def test_a_day_is_the_whole_value(alice, day):
    response = alice.get("/summaries/daily", query_string={"date": day})
    assert list(assert_envelope(response, 400)["details"]) == ["date"]


# ---- query, path and headers --------------------------------------------------------------


@pytest.mark.parametrize("route", QUERY_ROUTES, ids=str)
def test_a_nul_in_any_query_parameter_is_400(alice, route):
    url, _params = Resources(alice).fill(route)
    failures = []
    for name in query_parameters(route):
        query = {**LIST_QUERIES.get(route.shape, {}), name: "a\x00b"}
        response = alice.get(url, query_string=query)
        if response.status_code != 400 or name not in (response.get_json() or {}).get(
            "details", {}
        ):
            failures.append(f"{name}: {response.status_code} {response.get_json()}")
    assert not failures, f"{route}:\n" + "\n".join(failures)


def test_a_nul_in_a_path_day_is_400(alice):
    goal_id = alice.post("/goals", json=goal_body()).get_json()["goalId"]
    response = alice.delete(f"/goals/{goal_id}/check-ins/2026-11-26%00")
    assert list(assert_envelope(response, 400)["details"]) == ["date"]


def test_a_nul_in_an_idempotency_key_is_400(alice):
    response = alice.post("/goals", json=goal_body(), headers={"Idempotency-Key": "a\x00b"})
    assert list(assert_envelope(response, 400)["details"]) == ["Idempotency-Key"]
    assert partition(ALICE) == []


@pytest.fixture
def handler(aws, monkeypatch):
    """`wsgi.handler` as the Lambda runtime imports it, configured from the environment."""
    for name, value in {**TEST_SETTINGS, "COGNITO_CLIENT_ID": TEST_CLIENT_ID}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    wsgi = importlib.reload(importlib.import_module("wsgi"))
    create_table(wait=False)
    return lambda event: wsgi.handler(event, FakeLambdaContext())


@pytest.mark.parametrize(
    ("headers", "status", "field"),
    [
        ({"idempotency-key": LONE_SURROGATE}, 400, "Idempotency-Key"),
        ({"idempotency-key": "key\x00"}, 400, "Idempotency-Key"),
        ({"if-match": f'"1{LONE_SURROGATE}"'}, 412, None),
    ],
)
def test_hostile_header_values_through_the_lambda_handler(handler, headers, status, field):
    method, path, body = ("POST", "/goals", goal_body())
    if "if-match" in headers:
        method, path, body = ("PATCH", "/me", {"name": "Alice"})
    claims = {"sub": ALICE, "token_use": "access", "client_id": TEST_CLIENT_ID}
    response = handler(make_v2_event(method, path, body=body, headers=headers, claims=claims))
    assert response["statusCode"] == status, response["body"]
    answer = response_json(response)
    assert set(answer) >= ENVELOPE
    if field:
        assert list(answer["details"]) == [field]
    assert partition(ALICE) == []


@pytest.mark.parametrize("token", [LONE_SURROGATE, "a\x00b"])
def test_a_hostile_bearer_token_is_401(handler, token):
    response = handler(make_v2_event("GET", "/me", headers={"authorization": f"Bearer {token}"}))
    assert response["statusCode"] == 401, response["body"]
    assert set(response_json(response)) >= ENVELOPE
