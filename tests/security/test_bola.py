"""Broken object-level authorization, generated from the URL map: for every route with an id
in its path and every method, another user's request for Alice's id is a 404 that reveals
nothing and changes nothing. A route added later is covered without editing this file; a
route whose ids the registry cannot create fails here."""

from __future__ import annotations

import pytest

from tests.support.resources import (
    CREATORS,
    LIST_QUERIES,
    Resources,
    missing_creator,
    partition,
    valid_body,
)
from tests.support.routes import BODY_METHODS, Route, app_routes, has_route, routes_with_ids

ALICE, BOB = "alice-sub", "bob-sub"
ID_ROUTES = [route for route in routes_with_ids() if not route.public]


def alice_reads(client, params: dict[str, str]) -> dict[str, tuple[int, object]]:
    """What Alice sees on every GET route whose ids are among `params`."""
    reads = {}
    for route in app_routes():
        if route.method == "GET" and route.params and set(route.params) <= set(params):
            response = client.get(route.url(params), query_string=LIST_QUERIES.get(route.shape))
            reads[str(route)] = (response.status_code, response.get_json())
    return reads


def test_the_matrix_covers_the_goal_routes():
    covered = {str(route) for route in ID_ROUTES}
    assert {
        "GET /goals/<ulid:goal_id>",
        "PATCH /goals/<ulid:goal_id>",
        "DELETE /goals/<ulid:goal_id>",
    } <= covered


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_another_users_id_is_404_and_changes_nothing(alice, bob, route: Route):
    for param in route.params:
        if param not in CREATORS:
            pytest.fail(missing_creator(route, param))
    url, params = Resources(alice).fill(route)
    body = None
    if route.method in BODY_METHODS:
        try:
            body = valid_body(route, params)
        except LookupError as exc:
            pytest.fail(str(exc))
    alice_before, bob_before = partition(ALICE), partition(BOB)
    seen_before = alice_reads(alice, params)
    assert seen_before, f"{route}: no GET route shows Alice's resource"

    response = bob.open(url, method=route.method, json=body)

    assert response.status_code == 404, (
        f"{route} as another user answered {response.status_code}: {response.get_json()}"
    )
    assert response.get_json()["error"] == "Not Found"
    text = response.get_data(as_text=True)
    for value in params.values():
        assert value not in text, f"{route}: the 404 mentions Alice's {value}"
    assert partition(ALICE) == alice_before, f"{route} by Bob changed Alice's data"
    assert partition(BOB) == bob_before, f"{route} by Bob stored something"
    assert alice_reads(alice, params) == seen_before


def creatable_kinds(app) -> list[str]:
    """Creator names whose POST route the app serves (one per kind of resource)."""
    kinds, seen = [], set()
    for param, creator in CREATORS.items():
        if creator.path in seen or not has_route(app, "POST", creator.path):
            continue
        seen.add(creator.path)
        kinds.append(param)
    return kinds


COLLECTION_READS = [
    route
    for route in app_routes()
    if route.method == "GET" and not route.params and not route.public
]


@pytest.mark.parametrize("route", COLLECTION_READS, ids=str)
def test_collections_never_show_another_users_items(app, alice, bob, route: Route):
    maker = Resources(alice)
    for kind in creatable_kinds(app):
        maker.create(kind, {})
    alice_ids = [value for _kind, value in maker.created if len(value) == 26]
    assert alice_ids

    response = bob.get(route.url({}), query_string=LIST_QUERIES.get(route.shape))

    assert response.status_code < 500, response.get_json()
    text = response.get_data(as_text=True)
    leaked = [value for value in alice_ids if value in text]
    assert not leaked, f"{route} shows Bob Alice's {leaked}"
