"""The sync feed's guarantee, as a property: random interleavings of creates, updates,
deletes and syncs from several devices (some syncing in small pages, some crashing before
they store their token), with writes that are slow to commit while another device syncs,
some later than the settle window. After a final sync, each device's replica equals the
server's state as the `GET` routes answer it.

A slow write is made with the clock: when the write's request goes out (its change key is
already stamped), the clock moves on by the write's delay and a device syncs, on another
thread, before DynamoDB applies the write. A delay beyond the settle window lets that
device's token pass the write's key before the write exists, which is the case the writer's
late-write check must repair.
"""

from __future__ import annotations

import itertools
import threading
from contextlib import contextmanager
from datetime import timedelta

import botocore.client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifestyle_api.db import changes
from tests.support.resources import (
    activity_body,
    days_ago,
    goal_body,
    meal_body,
    metric_body,
)
from tests.support.sync import Clock, Replica, server_state

DEVICES = 3
EXAMPLES = 100
MAX_STEPS = 30
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
CREATED = ("goal", "checkIn", "activity", "meal", "metric")
UPDATED = ("goal", "checkIn", "activity", "meal", "profile")
DELETED = ("goal", "checkIn", "activity", "meal", "metric")
_users = itertools.count(1)

writes = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(CREATED), st.integers(0, 1000)),
    st.tuples(st.just("update"), st.sampled_from(UPDATED), st.integers(0, 1000)),
    st.tuples(st.just("delete"), st.sampled_from(DELETED), st.integers(0, 1000)),
)
steps = st.lists(
    st.one_of(
        writes,
        writes,
        st.tuples(st.just("sync"), st.integers(0, DEVICES - 1), st.integers(1, 6), st.booleans()),
        st.tuples(st.just("wait"), st.integers(0, 7000)),
        # A write whose commit comes `delay` ms after its stamp, a device syncing between.
        st.tuples(st.just("slow"), writes, st.integers(0, DEVICES - 1), st.integers(0, 12000)),
    ),
    max_size=MAX_STEPS,
)


class Server:
    """The user's items as the test made them (ids to pick from), through the API."""

    def __init__(self, client) -> None:
        self.client = client
        self.ids: dict[str, list[str]] = {kind: [] for kind in CREATED}
        self.serial = itertools.count()

    def pick(self, kind: str, choice: int) -> str | None:
        ids = self.ids[kind]
        return ids[choice % len(ids)] if ids else None

    def write(self, op: str, kind: str, choice: int) -> None:
        getattr(self, f"{op}_{kind}")(choice)

    def _ok(self, response) -> dict:
        assert response.status_code in (200, 201, 204), response.get_data(as_text=True)
        return {} if response.status_code == 204 else response.get_json()

    def create_goal(self, _choice: int) -> None:
        goal = self._ok(self.client.post("/goals", json={**goal_body(), "startDate": days_ago(40)}))
        self.ids["goal"].append(goal["goalId"])

    def create_checkIn(self, choice: int) -> None:
        goal_id = self.pick("goal", choice)
        if goal_id is None:
            return
        body = {"date": days_ago(choice % 20), "note": f"n{next(self.serial)}"}
        check_in = self._ok(self.client.post(f"/goals/{goal_id}/check-ins", json=body))
        check_in_id = f"{goal_id}/{check_in['date']}"
        if check_in_id not in self.ids["checkIn"]:
            self.ids["checkIn"].append(check_in_id)

    def create_activity(self, _choice: int) -> None:
        self.ids["activity"].append(
            self._ok(self.client.post("/activities", json=activity_body()))["activityId"]
        )

    def create_meal(self, _choice: int) -> None:
        self.ids["meal"].append(self._ok(self.client.post("/meals", json=meal_body()))["mealId"])

    def create_metric(self, choice: int) -> None:
        body = {**metric_body(), "type": ("weight", "water")[choice % 2]}
        body["unit"] = {"weight": "lb", "water": "fl_oz"}[body["type"]]
        self.ids["metric"].append(self._ok(self.client.post("/metrics", json=body))["metricId"])

    def update_goal(self, choice: int) -> None:
        if goal_id := self.pick("goal", choice):
            title = f"Goal {next(self.serial)}"
            self._ok(self.client.patch(f"/goals/{goal_id}", json={"title": title}))

    def update_checkIn(self, choice: int) -> None:
        if check_in_id := self.pick("checkIn", choice):
            goal_id, day = check_in_id.split("/")
            body = {"date": day, "value": choice}
            self._ok(self.client.post(f"/goals/{goal_id}/check-ins", json=body))

    def update_activity(self, choice: int) -> None:
        if activity_id := self.pick("activity", choice):
            body = {"durationMinutes": 1 + choice % 200}
            self._ok(self.client.patch(f"/activities/{activity_id}", json=body))

    def update_meal(self, choice: int) -> None:
        if meal_id := self.pick("meal", choice):
            body = {"notes": f"note {next(self.serial)}"}
            self._ok(self.client.patch(f"/meals/{meal_id}", json=body))

    def update_profile(self, choice: int) -> None:
        body = {"name": f"Name {next(self.serial)}", "dailyTargets": {"steps": choice}}
        self._ok(self.client.patch("/me", json=body))

    def delete_goal(self, choice: int) -> None:
        if goal_id := self.pick("goal", choice):
            self._ok(self.client.delete(f"/goals/{goal_id}"))
            self.ids["goal"].remove(goal_id)
            self.ids["checkIn"] = [c for c in self.ids["checkIn"] if not c.startswith(goal_id)]

    def delete_checkIn(self, choice: int) -> None:
        if check_in_id := self.pick("checkIn", choice):
            goal_id, day = check_in_id.split("/")
            self._ok(self.client.delete(f"/goals/{goal_id}/check-ins/{day}"))
            self.ids["checkIn"].remove(check_in_id)

    def _delete(self, kind: str, url: str, choice: int) -> None:
        if item_id := self.pick(kind, choice):
            self._ok(self.client.delete(f"{url}/{item_id}"))
            self.ids[kind].remove(item_id)

    def delete_activity(self, choice: int) -> None:
        self._delete("activity", "/activities", choice)

    def delete_meal(self, choice: int) -> None:
        self._delete("meal", "/meals", choice)

    def delete_metric(self, choice: int) -> None:
        self._delete("metric", "/metrics", choice)


@contextmanager
def before_the_next_write(action):
    """Run `action()` once, when the next DynamoDB write goes out, before it is sent."""
    original = botocore.client.BaseClient._make_api_call
    pending = [action]

    def intercepted(client, operation_name, api_params):
        if operation_name in WRITES and pending and threading.current_thread() is writer:
            pending.pop()()
        return original(client, operation_name, api_params)

    writer = threading.current_thread()
    botocore.client.BaseClient._make_api_call = intercepted
    try:
        yield
    finally:
        botocore.client.BaseClient._make_api_call = original


def sync_step(device: Replica, client, limit: int, crash: bool) -> None:
    """One page; a crashing device applies half of it and never stores its token."""
    if not crash:
        device.pull(client, limit=limit)
        return
    query = {"limit": limit, **({"since": device.token} if device.token else {})}
    page = client.get("/sync", query_string=query).get_json()
    device.apply({"changes": page["changes"][: len(page["changes"]) // 2]})


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_every_device_ends_with_the_servers_state(make_client, monkeypatch, steps):
    clock = Clock()
    monkeypatch.setattr(changes, "now", clock)
    sub = f"device-user-{next(_users)}"
    server = Server(make_client(sub))
    server.client.get("/me")
    devices = [(Replica(), make_client(sub)) for _ in range(DEVICES)]

    for step in steps:
        kind = step[0]
        if kind == "sync":
            _kind, index, limit, crash = step
            sync_step(devices[index][0], devices[index][1], limit, crash)
        elif kind == "wait":
            clock.advance(timedelta(milliseconds=step[1]))
        elif kind == "slow":
            _kind, (op, item_kind, choice), index, delay = step
            device, client = devices[index]

            def meanwhile(device=device, client=client, delay=delay):
                clock.advance(timedelta(milliseconds=delay))
                reader = threading.Thread(target=device.pull, args=(client,))
                reader.start()
                reader.join()

            with before_the_next_write(meanwhile):
                server.write(op, item_kind, choice)
        else:
            server.write(*step)

    clock.settle()
    expected = server_state(server.client)
    for device, client in devices:
        device.pull_to_end(client, limit=7)
        assert device.state() == expected
