"""The sync feed under real concurrency: writer threads create, edit and delete one user's
items through the app while a device pulls `GET /sync` in a loop, against moto in server
mode (each request atomic, as in DynamoDB: `AtomicMotoServer`). After the writers stop, the
device's replica, and a new device's initial download, equal the server's state.

The settle window is shortened here so that commits coming out of timestamp order (a
writer stamped first, committed last) fall outside it and the late-write repair runs, as
they would under load on AWS with the real window.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from lifestyle_api.db import changes
from tests.support.required_routes import require_route
from tests.support.resources import activity_body, days_ago, goal_body, meal_body, metric_body
from tests.support.sync import Clock, Replica, server_state

ALICE = "alice-sub"
WRITERS = 6
WRITES_PER_THREAD = 25


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(changes, "SETTLE_WINDOW", timedelta(milliseconds=500))
    monkeypatch.setattr(changes, "LATE_WRITE", timedelta(milliseconds=400))
    clock = Clock()
    monkeypatch.setattr(changes, "now", clock)
    return clock


def ok(response) -> dict:
    assert response.status_code in (200, 201, 204), response.get_data(as_text=True)
    return {} if response.status_code == 204 else response.get_json()


def writer(client, seed: int) -> None:
    """Random creates, edits and deletes of this thread's own items (goals, check-ins,
    activities, meals, metrics), so every request is valid whatever the others do."""
    rng = random.Random(seed)
    goals: list[str] = []
    activities: list[str] = []
    meals: list[str] = []
    metrics: list[str] = []
    for _ in range(WRITES_PER_THREAD):
        action = rng.choice(["goal", "check-in", "activity", "meal", "metric", "edit", "delete"])
        if action == "goal" or (action == "check-in" and not goals):
            goal = ok(client.post("/goals", json={**goal_body(), "startDate": days_ago(30)}))
            goals.append(goal["goalId"])
        elif action == "check-in":
            body = {"date": days_ago(rng.randrange(20)), "value": rng.randrange(10)}
            ok(client.post(f"/goals/{rng.choice(goals)}/check-ins", json=body))
        elif action == "activity":
            activities.append(ok(client.post("/activities", json=activity_body()))["activityId"])
        elif action == "meal":
            meals.append(ok(client.post("/meals", json=meal_body()))["mealId"])
        elif action == "metric":
            metrics.append(ok(client.post("/metrics", json=metric_body()))["metricId"])
        elif action == "edit" and meals:
            ok(client.patch(f"/meals/{rng.choice(meals)}", json={"notes": str(rng.random())}))
        elif action == "edit" and goals:
            ok(client.patch(f"/goals/{rng.choice(goals)}", json={"title": str(rng.random())}))
        elif action == "delete":
            kind, url = rng.choice(
                [(goals, "/goals"), (activities, "/activities"), (metrics, "/metrics")]
            )
            if kind:
                ok(client.delete(f"{url}/{kind.pop(rng.randrange(len(kind)))}"))


def test_a_device_pulling_while_others_write_ends_with_the_servers_state(server_app, caller, clock):
    require_route(server_app, "GET", "/sync")
    caller(ALICE).get("/me")
    device, reader = Replica(), caller(ALICE)
    writing = threading.Event()
    writing.set()

    def pull_while_writing() -> None:
        rng = random.Random(0)
        while writing.is_set():
            device.pull(reader, limit=rng.randint(1, 20))

    puller = threading.Thread(target=pull_while_writing)
    puller.start()
    try:
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            list(pool.map(lambda seed: writer(caller(ALICE), seed), range(WRITERS)))
    finally:
        writing.clear()
        puller.join()

    clock.settle()
    expected = server_state(caller(ALICE))
    device.pull_to_end(reader, limit=50)
    assert device.state() == expected
    fresh = Replica()
    fresh.pull_to_end(caller(ALICE), limit=50)
    assert fresh.state() == expected
    assert device.pages > 1
