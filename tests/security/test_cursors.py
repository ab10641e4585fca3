"""Cursors on every list route (found in the OpenAPI document by their `cursor` parameter):
garbage, edited, foreign and replayed-elsewhere cursors are a 400, never a 500 and never
another user's data."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.resources import LIST_ITEMS, LIST_QUERIES, Resources
from tests.support.routes import Route, list_routes, query_parameters, resolve

LISTS = list_routes()
GARBAGE = [
    "garbage",
    ".",
    "a.",
    ".b",
    "a.b.c",
    "%00",
    "eyJQSyI6eyJTIjoiVVNFUiNib2Itc3ViIn19.c2lnbmF0dXJl",
    "x" * 2048,
    "ünïcødé.✓",
]
CURSOR_ERROR = ["The cursor is not valid for this list; start again without it."]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def list_url(client, route: Route) -> tuple[str, dict[str, str]]:
    return Resources(client).fill(route)


def get_page(client, url: str, route: Route, **query):
    return client.get(url, query_string={**LIST_QUERIES.get(route.shape, {}), **query})


def assert_cursor_refused(response):
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["details"] == {"cursor": CURSOR_ERROR}


def test_list_routes_are_found():
    assert "GET /goals" in {str(route) for route in LISTS}


@pytest.mark.parametrize("route", LISTS, ids=str)
def test_garbage_cursors_are_400(alice, route):
    url, _ = list_url(alice, route)
    for cursor in GARBAGE:
        assert_cursor_refused(get_page(alice, url, route, cursor=cursor))


@pytest.mark.parametrize("route", LISTS, ids=str)
def test_any_string_as_cursor_is_400_never_500(alice, route):
    url, _ = list_url(alice, route)

    @settings(
        max_examples=40,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(cursor=st.text(min_size=1, max_size=300))
    def probe(cursor):
        response = get_page(alice, url, route, cursor=cursor)
        assert response.status_code == 400, (cursor, response.get_json())

    probe()


def paged_lists() -> list[Route]:
    return [route for route in LISTS if "limit" in query_parameters(route)]


@pytest.mark.parametrize("route", paged_lists(), ids=str)
def test_real_cursors_are_bound_to_caller_query_and_route(alice, bob, route):
    creator = LIST_ITEMS.get(route.shape)
    assert creator, f"{route}: add to LIST_ITEMS which creator adds an item to this list"
    maker = Resources(alice)
    url, params = maker.fill(route)
    for _ in range(3):
        maker.create(creator, dict(params))
    first = get_page(alice, url, route, limit=1)
    assert first.status_code == 200
    cursor = first.json["nextCursor"]
    assert cursor, f"{route}: three items and limit=1 must give a next page"

    second = get_page(alice, url, route, limit=1, cursor=cursor)
    assert second.status_code == 200
    assert second.json["items"]
    assert second.json["items"] != first.json["items"]

    # Bob, on his own list of the same route, with Alice's cursor.
    bob_url, _ = list_url(bob, route)
    assert_cursor_refused(get_page(bob, bob_url, route, limit=1, cursor=cursor))

    # The same cursor with another filter (any enum query parameter of the route).
    for name, parameter in query_parameters(route).items():
        values = resolve(parameter.get("schema", {})).get("enum") or []
        current = LIST_QUERIES.get(route.shape, {}).get(name)
        other = next((v for v in values if v != current), None)
        if other is not None:
            assert_cursor_refused(get_page(alice, url, route, cursor=cursor, **{name: other}))

    # An edited key that points into Bob's partition, keeping the signature.
    payload, _, signature = cursor.partition(".")
    key = json.loads(unb64(payload))
    forged = json.loads(json.dumps(key).replace("alice-sub", "bob-sub"))
    assert forged != key
    assert_cursor_refused(
        get_page(alice, url, route, cursor=f"{b64(json.dumps(forged).encode())}.{signature}")
    )
    assert_cursor_refused(get_page(alice, url, route, cursor=f"{payload}.{signature[:-1]}"))
    assert_cursor_refused(get_page(alice, url, route, cursor=f"{payload}.{b64(b'x' * 32)}"))

    # Replayed on another list route.
    for other_route in LISTS:
        if other_route == route:
            continue
        other_url, _ = list_url(alice, other_route)
        assert_cursor_refused(get_page(alice, other_url, other_route, cursor=cursor))


def test_a_list_cursor_binds_the_route_its_arguments_and_filters_as_documented(app, alice):
    """Another instance (the next deployment) must compute the same binding to accept a
    cursor: the endpoint, the path's arguments and the filters, under these names."""
    from lifestyle_api.http.paging import decode_cursor

    for title in ("Read", "Walk"):
        assert alice.post("/goals", json={"title": title}).status_code == 201
    cursor = alice.get("/goals?limit=1").json["nextCursor"]
    secret = app.extensions["lifestyle_api.settings"].cursor_secret
    query = {"endpoint": "goals.Goals", "view_args": {}, "filters": {}}
    key = decode_cursor(cursor, secret=secret, caller="alice-sub", query=query)
    assert key["PK"] == {"S": "USER#alice-sub"}


def test_a_cursor_of_one_goals_check_ins_is_refused_for_another_goal(alice):
    body = {"startDate": "2026-11-01"}
    goals = [alice.post("/goals", json={**body, "title": t}).json["goalId"] for t in "AB"]
    for goal_id in goals:
        for day in ("2026-11-01", "2026-11-02"):
            response = alice.post(f"/goals/{goal_id}/check-ins", json={"date": day})
            assert response.status_code == 201, response.get_json()
    first, other = goals
    cursor = alice.get(f"/goals/{first}/check-ins?limit=1").json["nextCursor"]
    assert alice.get(f"/goals/{first}/check-ins?cursor={cursor}").status_code == 200
    refused = alice.get(f"/goals/{other}/check-ins?cursor={cursor}")
    assert refused.status_code == 400
    assert "cursor" in refused.json["details"]
