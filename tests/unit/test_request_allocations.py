"""What a warm request builds: no marshmallow schema (an arguments schema given as a class is
made once, on its route's first request; response schemas are made when routes are
declared). Counted, never timed."""

from __future__ import annotations

from collections import Counter

import marshmallow as ma
import pytest

from tests.support.resources import activity_body, goal_body, meal_body, metric_body


@pytest.fixture
def schemas_built(monkeypatch):
    built: Counter[str] = Counter()
    original = ma.Schema.__init__

    def counting(self, *args, **kwargs):
        built[type(self).__name__] += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(ma.Schema, "__init__", counting)
    return built


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/goals", goal_body),
        ("/activities", activity_body),
        ("/meals", meal_body),
        ("/metrics", metric_body),
    ],
)
def test_warm_creates_build_no_schema(alice, schemas_built, path, body):
    assert alice.post(path, json=body()).status_code == 201  # the route's first request
    schemas_built.clear()
    for _ in range(3):
        assert alice.post(path, json=body()).status_code == 201
    assert schemas_built == Counter()


def test_warm_list_builds_no_schema(alice, schemas_built):
    alice.post("/goals", json=goal_body())
    assert alice.get("/goals", query_string={"limit": 5}).status_code == 200
    schemas_built.clear()
    for _ in range(3):
        assert alice.get("/goals", query_string={"limit": 5}).status_code == 200
    assert schemas_built == Counter()
