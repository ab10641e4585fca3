"""Helpers for the sync feed's tests: a clock the change stamps and the feed read, a device's
replica (applying pages as API.md tells clients to), and the server's state as the `GET`
routes answer it, to compare a replica with."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

from lifestyle_api.db import changes
from lifestyle_api.timeutil import utc_now
from lifestyle_api.units import METRIC_TYPES

Key = tuple[str, str]
SETTLED = changes.SETTLE_WINDOW + timedelta(milliseconds=1)


class Clock:
    """The clock of change stamps and of the feed's bound: real time, or stopped at `start`
    when one is given, moved on by the test."""

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start
        self.offset = timedelta()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return (self.start or utc_now()) + self.offset

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self.offset += delta

    def settle(self) -> None:
        """Move past the settle window: everything written so far may be read."""
        self.advance(SETTLED)


class Replica:
    """One device's copy: `(kind, id) -> (version, data)`, and the token it stored."""

    def __init__(self) -> None:
        self.items: dict[Key, tuple[int, dict[str, Any]]] = {}
        self.token: str | None = None
        self.pages = 0

    def apply(self, page: dict[str, Any]) -> None:
        """Upserts newer than the version held, every delete (API.md "Sync")."""
        for change in page["changes"]:
            key = (change["kind"], change["id"])
            if change["op"] == "delete":
                self.items.pop(key, None)
            elif key not in self.items or change["version"] > self.items[key][0]:
                self.items[key] = (change["version"], change["data"])
        self.pages += 1

    def pull(self, client, *, limit: int = 100) -> dict[str, Any]:
        """One page from the stored token, applied, then the token stored."""
        query: dict[str, Any] = {"limit": limit}
        if self.token is not None:
            query["since"] = self.token
        response = client.get("/sync", query_string=query)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        self.apply(page)
        self.token = page["next"]
        return page

    def pull_to_end(self, client, *, limit: int = 100) -> int:
        """Pages until `hasMore` is false; the number of pages."""
        pages = 0
        while True:
            pages += 1
            if not self.pull(client, limit=limit)["hasMore"]:
                return pages

    def state(self) -> dict[Key, dict[str, Any]]:
        return {key: data for key, (_version, data) in self.items.items()}


def _walk(client, url: str, **query) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        params = {**query, "limit": 100, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, query_string=params)
        assert response.status_code == 200, response.get_json()
        items += response.get_json()["items"]
        cursor = response.get_json()["nextCursor"]
        if cursor is None:
            return items


def server_state(client) -> dict[Key, dict[str, Any]]:
    """Every item of the caller, as the `GET` routes answer it, keyed like a replica."""
    profile = client.get("/me").get_json()
    state: dict[Key, dict[str, Any]] = {("profile", profile["userId"]): profile}
    for goal in _walk(client, "/goals"):
        state[("goal", goal["goalId"])] = goal
        for check_in in _walk(client, f"/goals/{goal['goalId']}/check-ins"):
            state[("checkIn", f"{goal['goalId']}/{check_in['date']}")] = check_in
    for activity in _walk(client, "/activities"):
        state[("activity", activity["activityId"])] = activity
    for meal in _walk(client, "/meals"):
        state[("meal", meal["mealId"])] = meal
    for metric_type in METRIC_TYPES:
        for metric in _walk(client, "/metrics", type=metric_type):
            state[("metric", metric["metricId"])] = metric
    return state
