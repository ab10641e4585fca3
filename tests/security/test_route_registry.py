"""The registries the generated tests rely on stay true to the app: every id in a path can
be created, and every write has a body the route accepts."""

from __future__ import annotations

import pytest

from tests.support.resources import CREATORS, Resources, missing_creator, valid_body
from tests.support.routes import Route, routes_with_body, routes_with_ids


def test_every_path_parameter_has_a_creator():
    missing = [
        missing_creator(route, param)
        for route in routes_with_ids()
        for param in route.params
        if param not in CREATORS
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("route", [r for r in routes_with_body() if not r.public], ids=str)
def test_registered_bodies_are_accepted(alice, route: Route):
    url, params = Resources(alice).fill(route)
    try:
        body = valid_body(route, params)
    except LookupError as exc:
        pytest.fail(str(exc))
    response = alice.open(url, method=route.method, json=body)
    assert 200 <= response.status_code < 300, response.get_json()
