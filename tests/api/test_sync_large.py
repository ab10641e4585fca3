"""The sync feed for a large history: a user with 10,000 items downloads everything in
pages of one Query each, a crash in the middle of a page loses nothing, and a page costs
the same read capacity for a user with 10 items as for one with 10,000 (capacity computed
from item sizes as the benchmarks do: moto reports a constant)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.capacity import metering
from lifestyle_api.db import changes
from lifestyle_api.db.keys import change_bound, user_pk
from lifestyle_api.http.hooks import SETTINGS_EXTENSION
from lifestyle_api.http.paging import encode_cursor
from lifestyle_api.sync.routes import TOKEN_SCOPE
from lifestyle_api.sync.service import Position
from tests.support import user_data
from tests.support.identity import authorizer_environ
from tests.support.resources import meal_body
from tests.support.sync import Clock, Replica

LARGE = 10_000
PAGE = 500


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("lifestyle_api.db.changes.now", clock)
    return clock


def history(client, sub: str, count: int) -> set[tuple[str, str]]:
    """A profile, a goal with check-ins, and activities, meals and metrics: `count` items
    in all, written in batches. Returns the `(kind, id)` of each."""
    client.get("/me")
    days = tuple(user_data.START.date() + timedelta(days=n) for n in range(min(count - 2, 30)))
    goal = user_data.goal(sub, days=days)
    check_ins = [user_data.check_in(sub, goal.goal_id, day) for day in days]
    logs = user_data.many(sub, count - 2 - len(check_ins))
    user_data.write([goal, *check_ins, *logs])
    kinds = {"ActivityItem": "activity", "MealItem": "meal", "MetricItem": "metric"}
    return {
        ("profile", sub),
        ("goal", goal.goal_id),
        *{("checkIn", f"{goal.goal_id}/{day}") for day in days},
        *{(kinds[type(item).__name__], item.sk.split("#", 1)[1]) for item in logs},
    }


@pytest.mark.slow
def test_ten_thousand_items_download_in_pages_and_survive_a_crash(alice, clock, aws_calls):
    expected = history(alice, "alice-sub", LARGE)
    assert len(expected) == LARGE
    clock.settle()
    replica, delivered, pages = Replica(), [], 0

    while True:
        aws_calls.reset()
        stored = replica.token
        page = replica.pull(alice, limit=PAGE)
        assert dict(aws_calls.dynamodb) == {"Query": 1}
        pages += 1
        if pages == 5:
            # The device applied this page but died before storing its token.
            replica.token = stored
            page = replica.pull(alice, limit=PAGE)
        assert len(page["changes"]) <= PAGE
        assert all(change["op"] == "upsert" for change in page["changes"])
        delivered += [(change["kind"], change["id"]) for change in page["changes"]]
        if not page["hasMore"]:
            break

    assert set(replica.items) == expected
    assert pages >= LARGE // PAGE
    assert len(delivered) == LARGE  # each once (the page read twice was counted once)
    assert {kind for kind, _id in expected} == {
        "profile",
        "goal",
        "checkIn",
        "activity",
        "meal",
        "metric",
    }
    activity_id = next(item_id for kind, item_id in expected if kind == "activity")
    held = replica.items[("activity", activity_id)][1]
    assert held == alice.get(f"/activities/{activity_id}").get_json()


def caught_up(secret: str, sub: str, clock: Clock) -> Replica:
    """A device that has downloaded everything settled so far: it holds the token the feed
    answers at the end of the download (the settled bound), signed for `sub`."""
    device = Replica()
    position = Position(change_bound(clock() - changes.SETTLE_WINDOW))
    device.token = encode_cursor(position.payload(), secret=secret, caller=sub, query=TOKEN_SCOPE)
    return device


def delta_page_cost(app, sub: str, count: int, clock: Clock) -> tuple[float, int]:
    """Read units and requests of the page that brings the same 20 new meals to a device
    that holds the whole history of `count` items."""
    client = app.test_client()
    client.environ_base.update(authorizer_environ(sub))
    history(client, sub, count)
    clock.settle()
    device = caught_up(app.extensions[SETTINGS_EXTENSION].cursor_secret, sub, clock)
    at = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    for minute in range(20):
        eaten = (at + timedelta(minutes=minute)).isoformat()
        client.post("/meals", json={**meal_body(), "eatenAt": eaten})
    clock.settle()
    with metering() as meter:
        page = device.pull(client, limit=100)
    assert len(page["changes"]) == 20
    assert page["hasMore"] is False
    ((operation, answer),) = meter.answers
    assert operation == "Query"
    assert answer["ScannedCount"] == answer["Count"] == 20  # nothing outside the window
    assert all(item["PK"]["S"] == user_pk(sub) for item in answer["Items"])
    return meter.read_units, sum(meter.requests.values())


@pytest.mark.slow
def test_a_page_costs_the_same_for_10_and_10000_items(app, clock):
    small = delta_page_cost(app, "small-sub", 10, clock)
    large = delta_page_cost(app, "large-sub", LARGE, clock)

    assert small == large
    assert small[1] == 1
