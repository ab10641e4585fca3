"""Mass assignment and internal attributes, generated from the OpenAPI document.

- Every write schema rejects ownership, key, version, timestamp and computed fields (and
  every field its route answers but does not take) with a 400 naming the field, and stores
  nothing.
- No response ever carries the single table's internals (keys, index keys, TTL, the
  discriminator, the version as a body field)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.required_routes import require_route
from tests.support.resources import (
    CREATORS,
    LIST_QUERIES,
    Resources,
    metric_body,
    missing_creator,
    partition,
    valid_body,
)
from tests.support.routes import (
    Route,
    app_routes,
    has_route,
    openapi_operation,
    request_schema,
    resolve,
    response_schema,
    routes_with_body,
)

ALICE = "alice-sub"

FORBIDDEN_IN_BODIES: dict[str, Any] = {
    "userId": "bob-sub",
    "PK": "USER#bob-sub",
    "SK": "GOAL#01JD0000000000000000000000",
    "version": 99,
    "createdAt": "2020-01-01T00:00:00Z",
    "updatedAt": "2020-01-01T00:00:00Z",
    "progress": {"streakCurrent": 99, "checkInCount": 99},
    "totals": {"caloriesKcal": 1},
    "kind": "profile",
    "GSI1PK": "STATUS#ACTIVE#00",
    "GSI1SK": "USER#bob-sub#2020",
    "LSI1SK": "GOAL#",
    "LSI2SK": "DAY#2020-01-01#",
    "expiresAt": 1,
}
# Never in a response, at any depth.
INTERNAL_ANYWHERE = frozenset(
    {
        "PK",
        "SK",
        "LSI1SK",
        "LSI2SK",
        "GSI1PK",
        "GSI1SK",
        "expiresAt",
        "checkInDates",
        "checkInDays",
        "claimToken",
        "fingerprint",
        "leaseExpiresAt",
    }
)
# Never as a field of a resource (a response body, or an element of its `items`) unless
# the contract gives the resource a field of that name (a notification's `kind`); nested
# objects may legitimately have a `kind` (a coach insight's kind, for instance).
INTERNAL_IN_RESOURCES = frozenset({"kind", "version"})


def read_only_fields(route: Route) -> set[str]:
    """Fields the route answers but does not take (ids, timestamps, computed values)."""
    answered = set((response_schema(route) or {}).get("properties", {}))
    return answered - set((request_schema(route) or {}).get("properties", {}))


@pytest.mark.parametrize("route", routes_with_body(), ids=str)
def test_write_schemas_reject_internal_and_read_only_fields(alice, route: Route):
    schema = request_schema(route)
    url, params = Resources(alice).fill(route)
    try:
        base = valid_body(route, params)
    except LookupError as exc:
        pytest.fail(str(exc))
    attempts = {**FORBIDDEN_IN_BODIES, **dict.fromkeys(read_only_fields(route), "x")}
    before = partition(ALICE)
    failures = []
    for name, value in attempts.items():
        if name in schema.get("properties", {}):
            failures.append(f"`{name}` is a writable field of the schema")
        response = alice.open(url, method=route.method, json={**base, name: value})
        details = (response.get_json() or {}).get("details") or {}
        if response.status_code != 400 or name not in details:
            failures.append(f"`{name}`: {response.status_code} {response.get_json()}")
    assert partition(ALICE) == before, f"{route} stored something from a refused body"
    assert not failures, f"{route} accepted internal fields:\n" + "\n".join(failures)


def test_batch_items_reject_internal_fields(app, alice):
    require_route(app, "POST", "/metrics/batch")
    items = [{**metric_body(), name: value} for name, value in FORBIDDEN_IN_BODIES.items()]
    response = alice.post("/metrics/batch", json={"items": items})
    if response.status_code == 200:
        results = response.json["results"]
        assert [r["status"] for r in results] == ["invalid"] * len(items)
        for result, name in zip(results, FORBIDDEN_IN_BODIES, strict=True):
            assert name in str(result["errors"]), result
    else:
        assert response.status_code == 400
    assert [i for i in partition(ALICE) if i["_class"] != "IdempotencyItem"] == []


def internal_fields(
    body: Any,
    *,
    resource_level: bool = True,
    path: str = "$",
    documented: frozenset[str] = frozenset(),
) -> list[str]:
    """Internal names in a response body; `documented`: the resource's own fields."""
    found = []
    internal_here = INTERNAL_IN_RESOURCES - documented if resource_level else frozenset()
    if isinstance(body, dict):
        for name, value in body.items():
            if name in INTERNAL_ANYWHERE or name in internal_here:
                found.append(f"{path}.{name}")
            found += internal_fields(
                value,
                resource_level=name == "items",
                path=f"{path}.{name}",
                documented=documented,
            )
    elif isinstance(body, list):
        for index, value in enumerate(body):
            found += internal_fields(
                value,
                resource_level=resource_level,
                path=f"{path}[{index}]",
                documented=documented,
            )
    return found


def documented_resource_fields(route: Route) -> frozenset[str]:
    """The fields the OpenAPI document gives the resource a GET answers (or each of its
    `items`)."""
    responses = (openapi_operation(route) or {}).get("responses", {})
    content = responses.get("200", {}).get("content", {}).get("application/json", {})
    schema = resolve(content.get("schema", {}))
    items = schema.get("properties", {}).get("items")
    if items is not None:
        schema = resolve(items.get("items", {}))
    return frozenset(schema.get("properties", {}))


def test_the_walker_finds_internal_fields():
    assert internal_fields({"PK": 1, "items": [{"version": 1, "x": {"kind": "a"}}]}) == [
        "$.PK",
        "$.items[0].version",
    ]
    assert internal_fields({"insights": [{"kind": "trend"}]}) == []
    assert internal_fields({"kind": "reminder"}, documented=frozenset({"kind"})) == []
    assert internal_fields({"items": [{"version": 1}]}, documented=frozenset({"kind"})) == [
        "$.items[0].version"
    ]


# The routes that create something (what the reminders pass writes has no route).
CREATE_ROUTES = sorted(
    {creator.path: param for param, creator in CREATORS.items() if creator.make is None}.items()
)


@pytest.mark.parametrize(("path", "param"), CREATE_ROUTES, ids=[p for p, _ in CREATE_ROUTES])
def test_create_responses_carry_no_internals(app, alice, path, param):
    require_route(app, "POST", path)
    responses = []
    original_post = alice.post

    def recording_post(*args, **kwargs):
        responses.append(original_post(*args, **kwargs))
        return responses[-1]

    alice.post = recording_post
    Resources(alice).create(param, {})
    assert responses
    for response in responses:
        assert internal_fields(response.get_json()) == [], response.request.path


READ_ROUTES = [r for r in app_routes() if r.method == "GET" and not r.public]


@pytest.mark.parametrize("route", READ_ROUTES, ids=str)
def test_read_responses_carry_no_internals(app, alice, route: Route):
    for param in route.params:
        if param not in CREATORS:
            pytest.fail(missing_creator(route, param))
    maker = Resources(alice)
    for param, creator in CREATORS.items():
        if has_route(app, "POST", creator.path) and not creator.needs:
            maker.create(param, {})
    url, _params = maker.fill(route)
    response = alice.get(url, query_string=LIST_QUERIES.get(route.shape))
    assert response.status_code == 200, response.get_json()
    documented = documented_resource_fields(route)
    assert internal_fields(response.get_json(), documented=documented) == []
