"""The OpenAPI document's enums as named components (API.md: an enum used in several places
is one component), so a generated client has one type per enum instead of one per field.

`named_enums()` lists them from the features' own vocabularies; `NamedEnumsPlugin` replaces
every inline enum with the same values by a reference to its component, in schemas and in
parameters. An enum of one place only (a discriminator's value, a header's) stays inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apispec import BasePlugin

# Keywords a property keeps when its enum becomes a reference to the named component.
_ENUM_KEPT_KEYWORDS = ("description", "default", "example", "readOnly", "writeOnly")


def schema_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def named_enums() -> dict[str, tuple[Sequence[str], str]]:
    """Every enum of the document, by component name: its values and what it means."""
    from ..activities.schemas import ACTIVITY_TYPES, INTENSITIES
    from ..coach.context import INSIGHT_KINDS, PERIODS, SOURCES
    from ..goals import shape as goal
    from ..meals.schemas import MEAL_TYPES
    from ..metrics.schemas import ALL_UNITS, BATCH_STATUSES
    from ..notifications.schemas import KINDS, PLATFORMS
    from ..units import METRIC_TYPES, UNIT_SYSTEMS

    return {
        "GoalCategory": (goal.CATEGORIES, "What a goal is about."),
        "GoalType": (goal.GOAL_TYPES, "`habit`: done by check-ins; `target`: a number to reach."),
        "GoalStatus": (goal.STATUSES, "Only `active` goals are due and take check-ins."),
        "ScheduleFrequency": (goal.FREQUENCIES, "How often a habit is due."),
        "Weekday": (goal.WEEKDAYS, "A day of the week."),
        "TargetMetric": (goal.TARGET_METRICS, "The daily value a target goal is measured on."),
        "TargetDirection": (
            goal.DIRECTIONS,
            "Whether the value must reach or stay under a target.",
        ),
        "ActivityType": (ACTIVITY_TYPES, "The kind of activity."),
        "Intensity": (INTENSITIES, "How hard an activity was."),
        "MealType": (MEAL_TYPES, "Which meal of the day."),
        "MetricType": (METRIC_TYPES, "The kind of health metric."),
        "MetricUnit": (ALL_UNITS, "A unit some metric type accepts."),
        "MetricBatchItemStatus": (BATCH_STATUSES, "What became of one item of a batch."),
        "UnitSystem": (UNIT_SYSTEMS, "The units metrics are answered in."),
        "CoachPeriod": (PERIODS, "`day`: today so far; `week`: this week so far."),
        "InsightKind": (INSIGHT_KINDS, "What an insight is about."),
        "CoachSource": (SOURCES, "Who answered: the model (`bedrock`) or the rules."),
        "DevicePlatform": (PLATFORMS, "Where a device's push token comes from: APNs or FCM."),
        "NotificationKind": (
            KINDS,
            "`reminder`: a habit's reminder time; `streak_at_risk`: a streak not yet kept "
            "today; `coach`: from the coach.",
        ),
    }


class NamedEnumsPlugin(BasePlugin):
    """Replaces every inline enum that is one of `named_enums()` by a reference to it, in
    schema components and in parameters."""

    def __init__(self, enums: dict[str, tuple[Sequence[str], str]]) -> None:
        self._by_values = {tuple(values): name for name, (values, _doc) in enums.items()}

    def schema_helper(self, name, definition, **kwargs):
        self._replace(definition)

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and "schema" in parameter:
                    parameter["schema"] = self._replace(parameter["schema"])

    def _replace(self, node: Any) -> Any:
        """`node` with its enums (nested ones included) replaced; changed in place where
        it can be, so a component's own dict stays the one apispec holds."""
        if isinstance(node, list):
            node[:] = [self._replace(item) for item in node]
            return node
        if not isinstance(node, dict):
            return node
        for key, value in list(node.items()):
            if key != "enum":
                node[key] = self._replace(value)
        values = tuple(value for value in node.get("enum", ()) if value is not None)
        name = self._by_values.get(values)
        if name is None:
            return node
        nullable = node.get("nullable", False) or None in node["enum"]
        kept = {key: node[key] for key in _ENUM_KEPT_KEYWORDS if key in node}
        node.clear()
        if not kept and not nullable:
            node.update(schema_ref(name))
            return node
        node.update({"allOf": [schema_ref(name)], **kept})
        if nullable:
            node["nullable"] = True
        return node
