"""The kinds of item a user has and a client sees, each written by its own feature.

One registry for everything that turns stored items into JSON for clients (`GET /me/export`
and the sync feed, `GET /sync`): for each item kind (the models' discriminator), the name
clients know it by, the group the export files it under, and its feature's writers from a
raw item, given the profile's `Presentation`:

- `read`: the item as the feature's own `GET` answers it (the sync feed), which `schema`
  (the feature's read schema) documents;
- `export`: the item as the export writes it (the same, but metrics in canonical units).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma

from .activities import service as activities
from .activities.schemas import ActivitySchema
from .db.reads import Presentation
from .goals import checkins
from .goals import service as goals
from .goals.schemas import CheckInSchema, GoalSchema
from .meals import service as meals
from .meals.schemas import MealSchema
from .metrics import service as metrics
from .metrics.schemas import MetricSchema
from .profile import service as profile
from .profile.schemas import ProfileSchema
from .records import Record

Writer = Callable[[dict[str, Any], Presentation], dict[str, Any]]


class Kind(Record):
    name: str
    read: Writer
    schema: type[ma.Schema]
    export: Writer
    # `None` for the profile, which every export page carries on its own.
    export_group: str | None


KINDS: dict[str, Kind] = {
    "profile": Kind("profile", profile.export_profile, ProfileSchema, profile.export_profile, None),
    "goal": Kind("goal", goals.export_goal, GoalSchema, goals.export_goal, "goals"),
    "checkin": Kind(
        "checkIn",
        checkins.export_check_in,
        CheckInSchema,
        checkins.export_check_in,
        "checkIns",
    ),
    "activity": Kind(
        "activity",
        activities.export_activity,
        ActivitySchema,
        activities.export_activity,
        "activities",
    ),
    "meal": Kind("meal", meals.export_meal, MealSchema, meals.export_meal, "meals"),
    "metric": Kind("metric", metrics.read_metric, MetricSchema, metrics.export_metric, "metrics"),
}
KIND_NAMES = tuple(kind.name for kind in KINDS.values())


def kind_of(raw: dict[str, Any]) -> Kind | None:
    """The kind of a raw item; `None` for internal records (idempotency keys, source
    markers, caches, tombstones)."""
    return KINDS.get(raw.get("kind", {}).get("S", ""))
