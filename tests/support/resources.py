"""How to make things for a test user through the API, for tests generated from the routes.

- `CREATORS`, keyed by path parameter name (`goal_id`, `date`, …): how to create a resource a
  path can name, for one user. A route whose parameter has no creator cannot be tested
  generically, and those tests fail (never skip) with `missing_creator()`'s message.
- `VALID_BODIES`, keyed by method and route shape (`("PATCH", "/goals/{}")`): a body the route
  accepts, with every optional field present so that limits can be probed on each.
- `LIST_QUERIES`: the query a list route needs besides `limit`/`cursor` (`/metrics` needs a
  `type`), and `LIST_ITEMS`: which creator adds an item to that list.

Entries exist for every route API.md lists, including those other features add.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.notifications import delivery
from tests.support.routes import Route

_serial = itertools.count(1)
PARIS_WINTER = timezone(timedelta(hours=1))


def days_ago(days: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days)).isoformat()


def instant_days_ago(days: int, hour: int = 7) -> str:
    """An instant with an offset (API.md: offsets are required on input)."""
    day = date.fromisoformat(days_ago(days))
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=PARIS_WINTER).isoformat()


def goal_body(_params: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "title": "Walk 30 minutes",
        "description": "After lunch, around the park.",
        "category": "fitness",
        "type": "habit",
        "schedule": {
            "frequency": "daily",
            "daysOfWeek": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        },
        "status": "active",
        "startDate": days_ago(90),
    }


def check_in_body(params: dict[str, str]) -> dict[str, Any]:
    return {"date": params.get("date") or days_ago(1), "value": 1, "note": "Done before work."}


def activity_body(_params: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "type": "run",
        "startedAt": instant_days_ago(1),
        "durationMinutes": 30,
        "distanceM": 5000,
        "caloriesKcal": 320,
        "intensity": "moderate",
        "notes": "Park loop.",
    }


def meal_body(_params: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "mealType": "lunch",
        "eatenAt": instant_days_ago(1, hour=12),
        "name": "Chicken salad",
        "items": [
            {
                "name": "Chicken breast",
                "quantity": 150,
                "unit": "g",
                "caloriesKcal": 248,
                "proteinG": 46.5,
                "carbsG": 0,
                "fatG": 5.4,
                "fiberG": 0,
                "sugarG": 0,
                "sodiumMg": 111,
            }
        ],
        "notes": "No dressing.",
    }


def metric_body(_params: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "type": "weight",
        "value": 72.4,
        "unit": "kg",
        "recordedAt": instant_days_ago(1),
        "source": {"name": "smart-scale", "externalId": f"reading-{next(_serial)}"},
    }


def device_body(_params: dict[str, str] | None = None) -> dict[str, Any]:
    return {"platform": "ios", "token": f"{next(_serial):064x}"}


def notification_for(client, params: dict[str, str]) -> str:
    """Notifications are written by the reminders pass, not by a route: one is written for
    the client's user, about the goal in `params`, as the pass writes it."""
    sub = client.get("/me").get_json()["userId"]
    now = datetime.now(UTC)
    notification = delivery.record_once(
        sub,
        goal_id=params["goal_id"],
        kind="reminder",
        day=now.date(),
        title="Walk 30 minutes",
        body="Time for this habit. Check in once it's done.",
        at=now,
        push=False,
        now=now,
    )
    return notification.notification_id


VALID_BODIES: dict[tuple[str, str], Callable[[dict[str, str]], dict[str, Any]]] = {
    ("POST", "/goals"): goal_body,
    ("PATCH", "/goals/{}"): lambda _p: {
        "title": "Walk 45 minutes",
        "description": "Longer.",
        "schedule": {"frequency": "daily", "daysOfWeek": ["mon", "wed", "fri"]},
    },
    ("POST", "/goals/{}/check-ins"): check_in_body,
    ("POST", "/activities"): activity_body,
    ("PATCH", "/activities/{}"): lambda _p: {"durationMinutes": 35, "notes": "Longer loop."},
    ("POST", "/meals"): meal_body,
    ("PATCH", "/meals/{}"): lambda _p: {
        "name": "Big salad",
        "items": meal_body()["items"],
        "notes": "Extra chicken.",
    },
    ("POST", "/metrics"): metric_body,
    ("POST", "/metrics/batch"): lambda _p: {"items": [metric_body(), metric_body()]},
    ("PATCH", "/me"): lambda _p: {
        "name": "Alice",
        "timezone": "Europe/Paris",
        "unitSystem": "metric",
        "dailyTargets": {"steps": 8000, "waterMl": 2000, "caloriesKcal": 2200},
    },
    ("POST", "/me/devices"): device_body,
    # No fields: an empty object (the body itself is optional).
    ("POST", "/notifications/{}/read"): lambda _p: {},
    ("POST", "/coach/insights"): lambda _p: {"period": "week"},
    # No fields: an empty object (the body itself is optional).
    ("POST", "/coach/goal-suggestions"): lambda _p: {},
    ("POST", "/auth/register"): lambda _p: {
        "email": "new.user@example.com",
        "password": "Correct-Horse-9-Battery",
        "name": "New User",
    },
    ("POST", "/auth/confirm"): lambda _p: {"email": "new.user@example.com", "code": "123456"},
    ("POST", "/auth/resend-code"): lambda _p: {"email": "new.user@example.com"},
    ("POST", "/auth/login"): lambda _p: {
        "email": "new.user@example.com",
        "password": "Correct-Horse-9-Battery",
    },
    ("POST", "/auth/refresh"): lambda _p: {"refreshToken": "not-a-real-refresh-token"},
    ("POST", "/auth/forgot-password"): lambda _p: {"email": "new.user@example.com"},
    ("POST", "/auth/reset-password"): lambda _p: {
        "email": "new.user@example.com",
        "code": "123456",
        "newPassword": "Another-Horse-7-Battery",
    },
}

LIST_QUERIES: dict[str, dict[str, str]] = {"/metrics": {"type": "weight"}}


@dataclass(frozen=True)
class Creator:
    """POST `path` (with the parameters created so far) and read the new resource's name
    from the response field `returns`; or, for what no route creates, `make(client,
    params)` it and answer its name."""

    path: str
    body: Callable[[dict[str, str]], dict[str, Any]]
    returns: str
    needs: tuple[str, ...] = ()
    make: Callable[[Any, dict[str, str]], str] | None = None


def _check_in_creator() -> Creator:
    return Creator("/goals/{goal_id}/check-ins", check_in_body, returns="date", needs=("goal_id",))


CREATORS: dict[str, Creator] = {
    "goal_id": Creator("/goals", goal_body, returns="goalId"),
    "activity_id": Creator("/activities", activity_body, returns="activityId"),
    "meal_id": Creator("/meals", meal_body, returns="mealId"),
    "metric_id": Creator("/metrics", metric_body, returns="metricId"),
    # API.md: DELETE /goals/{goalId}/check-ins/{date}; the name the route gives it may vary.
    "date": _check_in_creator(),
    "day": _check_in_creator(),
    "check_in_date": _check_in_creator(),
    "device_id": Creator("/me/devices", device_body, returns="deviceId"),
    "notification_id": Creator(
        "", dict, returns="notificationId", needs=("goal_id",), make=notification_for
    ),
}

LIST_ITEMS: dict[str, str] = {
    "/goals": "goal_id",
    "/goals/{}/check-ins": "date",
    "/activities": "activity_id",
    "/meals": "meal_id",
    "/metrics": "metric_id",
    "/me/export": "goal_id",
    "/me/devices": "device_id",
    "/notifications": "notification_id",
}


def missing_creator(route: Route, param: str) -> str:
    return (
        f"{route}: no way to create a resource for its path parameter `{param}`. Add a Creator "
        f"for `{param}` to CREATORS in tests/support/resources.py so that the generated "
        "security tests cover this route."
    )


def missing_body(route: Route) -> str:
    return (
        f"{route}: no valid body known. Add an entry for {(route.method, route.shape)} to "
        "VALID_BODIES in tests/support/resources.py so that the generated tests cover it."
    )


def valid_body(route: Route, params: dict[str, str]) -> dict[str, Any]:
    maker = VALID_BODIES.get((route.method, route.shape))
    if maker is None:
        raise LookupError(missing_body(route))
    return maker(params)


@dataclass
class Resources:
    """Creates resources for one user through the API and remembers their names."""

    client: Any
    created: list[tuple[str, str]] = field(default_factory=list)
    _day: itertools.count = field(default_factory=lambda: itertools.count(1))

    def create(self, param: str, params: dict[str, str], route: Route | None = None) -> str:
        creator = CREATORS.get(param)
        if creator is None:
            raise LookupError(missing_creator(route or Route("?", "?"), param))
        for needed in creator.needs:
            if needed not in params:
                params[needed] = self.create(needed, params, route)
        if creator.make is not None:
            value = creator.make(self.client, params)
            self.created.append((param, value))
            return value
        body = creator.body(params)
        if creator.returns == "date":
            body["date"] = days_ago(next(self._day))
        path = creator.path.format(**params)
        response = self.client.post(path, json=body)
        assert response.status_code == 201, (
            f"creating `{param}` with POST {path} answered {response.status_code}: "
            f"{response.get_json()}"
        )
        value = str(response.get_json()[creator.returns])
        self.created.append((param, value))
        return value

    def fill(self, route: Route) -> tuple[str, dict[str, str]]:
        """Create what each path parameter names, in path order; the URL and the values."""
        params: dict[str, str] = {}
        for param in route.params:
            if param not in params:
                params[param] = self.create(param, params, route)
        return route.url(params), params


def partition(sub: str) -> list[dict[str, Any]]:
    """Every item of the user's partition, raw, in key order: to compare before and after."""
    return [
        item.serialize() | {"_class": type(item).__name__}
        for item in TableItem.query(user_pk(sub), consistent_read=True)
    ]
