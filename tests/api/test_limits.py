"""Limits, on every route they apply to (generated from the URL map and the OpenAPI
document): body size (413), page size, array and string maximums, deep nesting and JSON
that is not an object (400). A refused request changes nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from lifestyle_api import MAX_BODY_BYTES
from tests.support.required_routes import require_route
from tests.support.resources import (
    LIST_QUERIES,
    Resources,
    activity_body,
    goal_body,
    meal_body,
    metric_body,
    partition,
    valid_body,
)
from tests.support.routes import (
    Route,
    list_routes,
    openapi_operation,
    query_parameters,
    request_schema,
    resolve,
    routes_with_body,
)

ALICE = "alice-sub"
BODY_ROUTES = routes_with_body()
PAGED_ROUTES = [r for r in list_routes() if "limit" in query_parameters(r)]
ENVELOPE = {"error", "message", "timestamp", "requestId"}


def prepare(client, route: Route) -> tuple[str, dict[str, Any]]:
    """The route's URL with Alice's resources in it, and a body it accepts."""
    url, params = Resources(client).fill(route)
    try:
        return url, valid_body(route, params)
    except LookupError as exc:
        pytest.fail(str(exc))


def assert_envelope(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert set(body) >= ENVELOPE
    return body


@pytest.mark.parametrize("route", BODY_ROUTES, ids=str)
def test_a_body_over_256_kb_is_413(alice, route):
    url, body = prepare(alice, route)
    before = partition(ALICE)
    padded = json.dumps({**body, "padding": "x" * MAX_BODY_BYTES})
    response = alice.open(url, method=route.method, data=padded, content_type="application/json")
    assert assert_envelope(response, 413)["error"] == "Request Entity Too Large"
    assert partition(ALICE) == before


def test_a_body_of_exactly_256_kb_is_read(alice):
    body = json.dumps({"title": "ok", "description": None})
    body = body[:-1] + " " * (MAX_BODY_BYTES - len(body)) + "}"
    assert len(body.encode()) == MAX_BODY_BYTES
    response = alice.post("/goals", data=body, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize("route", PAGED_ROUTES, ids=str)
def test_limit_outside_1_to_100_is_400(alice, route):
    url, _ = Resources(alice).fill(route)
    for limit in ["101", "1000", "0", "-1", "ten", "1.5", ""]:
        query = {**LIST_QUERIES.get(route.shape, {}), "limit": limit}
        response = alice.get(url, query_string=query)
        assert "limit" in assert_envelope(response, 400)["details"], limit


@pytest.mark.parametrize("route", PAGED_ROUTES, ids=str)
def test_limit_100_is_accepted(alice, route):
    url, _ = Resources(alice).fill(route)
    response = alice.get(url, query_string={**LIST_QUERIES.get(route.shape, {}), "limit": "100"})
    assert response.status_code == 200


def test_a_batch_over_100_is_400(app, alice):
    require_route(app, "POST", "/metrics/batch")
    response = alice.post("/metrics/batch", json={"items": [metric_body() for _ in range(101)]})
    assert "items" in assert_envelope(response, 400)["details"]
    assert [i for i in partition(ALICE) if i["_class"] == "MetricItem"] == []


# Every bounded field of every write schema, probed one past its bound.


def walk(schema: dict[str, Any], path: tuple = ()) -> Iterator[tuple[tuple, dict[str, Any]]]:
    """Every (path, schema) in a request schema; arrays step into their first element."""
    schema = resolve(schema)
    yield path, schema
    for name, prop in schema.get("properties", {}).items():
        yield from walk(prop, (*path, name))
    if schema.get("type") == "array" and "items" in schema:
        yield from walk(schema["items"], (*path, 0))


def lookup(body: Any, path: tuple) -> Any:
    for step in path:
        body = body[step]
    return body


def replaced(body: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    lookup(body, path[:-1])[path[-1]] = value
    return body


def over_the_bound(schema: dict[str, Any], current: Any) -> Any | None:
    if "maxLength" in schema:
        return "x" * (schema["maxLength"] + 1)
    if "maxItems" in schema:
        return [current[0]] * (schema["maxItems"] + 1)
    return None


# API.md: a metrics batch validates each item on its own and answers a bad one `invalid` in
# its result, never spoiling the others; a bound inside an item is enforced there.
PER_ITEM_ARRAYS = {("POST", "/metrics/batch"): "items"}


def probe_body(route: Route, body: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    """The body with `value` at `path`; inside a per-item array, in every item (so each is
    refused and nothing is stored)."""
    if PER_ITEM_ARRAYS.get((route.method, route.shape)) != path[0] or len(path) < 3:
        return replaced(body, path, value)
    for index in range(len(body[path[0]])):
        body = replaced(body, (path[0], index, *path[2:]), value)
    return body


def refusal_failure(route: Route, path: tuple, response) -> str | None:
    """Why the response is not the refusal of the value at `path`, or None if it is: a 400
    naming the field, or, inside a per-item array, each item answered `invalid` naming it."""
    body = response.get_json() or {}
    if PER_ITEM_ARRAYS.get((route.method, route.shape)) == path[0] and len(path) >= 3:
        results = body.get("results") or []
        if (
            response.status_code == 200
            and results
            and all(r["status"] == "invalid" and path[2] in r.get("errors", {}) for r in results)
        ):
            return None
    elif response.status_code == 400 and path[0] in (body.get("details") or {}):
        return None
    return f"{path}: {response.status_code} {body}"


@pytest.mark.parametrize("route", BODY_ROUTES, ids=str)
def test_strings_and_arrays_over_their_maximum_are_400(alice, route):
    url, body = prepare(alice, route)
    before = partition(ALICE)
    failures = []
    for path, schema in walk(request_schema(route)):
        if not path or ("maxLength" not in schema and "maxItems" not in schema):
            continue
        try:
            current = lookup(body, path)
        except (KeyError, IndexError):
            failures.append(f"{path}: bounded, but the registered body lacks it (add it)")
            continue
        probe = probe_body(route, body, path, over_the_bound(schema, current))
        response = alice.open(url, method=route.method, json=probe)
        failure = refusal_failure(route, path, response)
        if failure:
            failures.append(failure)
    assert partition(ALICE) == before
    assert not failures, f"{route}:\n" + "\n".join(failures)


@pytest.mark.parametrize("route", BODY_ROUTES, ids=str)
def test_every_string_in_a_request_is_bounded(route):
    unbounded = [
        path
        for path, schema in walk(request_schema(route))
        if schema.get("type") == "string"
        and not {"maxLength", "enum", "format", "pattern"} & set(schema)
    ]
    assert not unbounded, f"{route}: give these strings a maximum length: {unbounded}"


def number_paths(route: Route) -> list[tuple]:
    """The numbers of the route's registered body (optional ones it leaves out aside)."""
    body = valid_body(route, {})
    paths = []
    for path, schema in walk(request_schema(route)):
        if path and schema.get("type") in {"number", "integer"}:
            try:
                lookup(body, path)
            except (KeyError, IndexError):
                continue
            paths.append(path)
    return paths


@pytest.mark.parametrize("route", [r for r in BODY_ROUTES if number_paths(r)], ids=str)
def test_a_number_sent_as_a_string_is_400(alice, route):
    # The document says `type: number`; marshmallow's Float alone would read "72.4".
    url, body = prepare(alice, route)
    before = partition(ALICE)
    failures = []
    for path in number_paths(route):
        probe = probe_body(route, body, path, str(lookup(body, path)))
        failure = refusal_failure(route, path, alice.open(url, method=route.method, json=probe))
        if failure:
            failures.append(failure)
    assert partition(ALICE) == before
    assert not failures, f"{route}:\n" + "\n".join(failures)


DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 40_000 + "1" + "}" * 40_000
NOT_OBJECTS = ["[]", '[{"title": "x"}]', '"title"', "42", "-1.5", "null", "true", ""]


@pytest.mark.parametrize("route", BODY_ROUTES, ids=str)
def test_deeply_nested_json_is_400(alice, route):
    url, _ = prepare(alice, route)
    before = partition(ALICE)
    for document in (DEEP_ARRAY, DEEP_OBJECT):
        assert len(document.encode()) < MAX_BODY_BYTES
        for headers in ({}, {"Idempotency-Key": "deep"}):
            response = alice.open(
                url,
                method=route.method,
                data=document,
                content_type="application/json",
                headers=headers,
            )
            assert_envelope(response, 400)
    assert partition(ALICE) == before


def body_is_optional(route: Route) -> bool:
    return not (openapi_operation(route) or {}).get("requestBody", {}).get("required", False)


@pytest.mark.parametrize("route", BODY_ROUTES, ids=str)
def test_json_that_is_not_an_object_is_400(alice, route):
    url, _ = prepare(alice, route)
    before = partition(ALICE)
    # An empty body is no body: where the body is optional, that is allowed (API.md).
    for document in [d for d in NOT_OBJECTS if d or not body_is_optional(route)]:
        response = alice.open(
            url, method=route.method, data=document, content_type="application/json"
        )
        assert response.status_code == 400, (document, response.get_json())
        assert set(response.get_json()) >= ENVELOPE
    assert partition(ALICE) == before


# Days and instants: from 1900-01-01 to 2999-12-31, so that no time zone, week or streak
# computed from one falls off the calendar (a 500 before).

OUT_OF_RANGE = [
    ("POST", "/activities", {"startedAt": "0001-01-01T00:00:00+01:00"}, "startedAt"),
    ("POST", "/activities", {"startedAt": "9999-12-31T23:59:59-01:00"}, "startedAt"),
    ("POST", "/meals", {"eatenAt": "1899-12-31T23:59:59Z"}, "eatenAt"),
    ("POST", "/metrics", {"recordedAt": "3000-01-01T00:00:00-01:00"}, "recordedAt"),
    ("POST", "/goals", {"startDate": "0001-01-01"}, "startDate"),
    ("GET", "/summaries/weekly?weekStart=9999-12-27", None, "weekStart"),
    ("GET", "/summaries/daily?date=0001-01-01", None, "date"),
    ("GET", "/activities?from=0001-01-01T00:00:00%2B01:00", None, "from"),
]
BODIES = {"/activities": activity_body, "/meals": meal_body, "/metrics": metric_body}


@pytest.mark.parametrize(("method", "url", "fields", "field"), OUT_OF_RANGE)
def test_days_and_instants_outside_the_supported_range_are_400(alice, method, url, fields, field):
    body = {**BODIES.get(url, goal_body)(), **fields} if method == "POST" else None
    response = alice.open(url, method=method, json=body)
    details = assert_envelope(response, 400)["details"]
    assert details[field] == ["Give a date from 1900-01-01 to 2999-12-31."]
    assert partition(ALICE) == []


def test_the_ends_of_the_supported_range_are_accepted(alice):
    alice.patch("/me", json={"timezone": "Pacific/Kiritimati"})  # UTC+14
    for started_at in ("1900-01-01T00:00:00Z", "2999-12-31T23:59:59.999Z"):
        created = alice.post("/activities", json={**activity_body(), "startedAt": started_at})
        assert created.status_code == 201, created.get_json()
        assert created.get_json()["startedAt"] == started_at
    weekly = alice.get("/summaries/weekly", query_string={"weekStart": "2999-12-30"})
    assert weekly.status_code == 200


# DynamoDB cannot store a number under 1e-130 in magnitude (the write fails); the API reads
# such a number as 0 rather than answering a 500.


def test_a_number_too_small_to_store_is_read_as_0(alice):
    tiny = 2.225073858507e-311
    patched = alice.patch("/me", json={"dailyTargets": {"caloriesKcal": tiny, "proteinG": 1e-130}})
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["dailyTargets"]["caloriesKcal"] == 0
    assert patched.get_json()["dailyTargets"]["proteinG"] == 1e-130
    item = {**meal_body()["items"][0], "caloriesKcal": tiny, "fatG": -0.0}
    meal = alice.post("/meals", json={**meal_body(), "items": [item, item]})
    assert meal.status_code == 201, meal.get_json()
    assert meal.get_json()["totals"]["caloriesKcal"] == 0
    assert alice.get(meal.headers["Location"]).get_json()["totals"]["caloriesKcal"] == 0
