"""Goal schemas and shape rules, without HTTP."""

from __future__ import annotations

from datetime import date

import marshmallow as ma
import pytest

from lifestyle_api.fields import Instant
from lifestyle_api.goals.schemas import GoalCreateSchema, GoalUpdateSchema
from lifestyle_api.goals.shape import goal_shape_errors, normalize_schedule


def test_defaults():
    loaded = GoalCreateSchema().load({"title": "Meditate"})
    assert loaded == {
        "title": "Meditate",
        "category": "other",
        "goal_type": "habit",
        "status": "active",
    }


def test_camel_case_on_the_wire():
    loaded = GoalCreateSchema().load(
        {
            "title": "Run",
            "schedule": {"frequency": "daily", "daysOfWeek": ["mon", "wed"]},
            "startDate": "2026-11-01",
            "endDate": "2026-12-01",
        }
    )
    assert loaded["schedule"] == {"frequency": "daily", "days_of_week": ["mon", "wed"]}
    assert loaded["start_date"] == date(2026, 11, 1)


@pytest.mark.parametrize("field", ["goalId", "progress", "createdAt", "updatedAt", "userId", "x"])
def test_read_only_and_unknown_fields_rejected(field):
    with pytest.raises(ma.ValidationError) as error:
        GoalCreateSchema().load({"title": "Run", field: "value"})
    assert field in error.value.messages


def test_patch_cannot_change_type():
    with pytest.raises(ma.ValidationError) as error:
        GoalUpdateSchema().load({"type": "target"})
    assert "type" in error.value.messages


def test_shape_rules():
    assert goal_shape_errors("habit", {"frequency": "daily"}, None, None, None) == {}
    assert "target" in goal_shape_errors(
        "habit", None, {"metric": "steps", "value": 1, "direction": "atLeast"}, None, None
    )
    assert "target" in goal_shape_errors("target", None, None, None, None)
    assert "endDate" in goal_shape_errors("habit", None, None, date(2026, 11, 2), date(2026, 11, 1))


def test_schedule_defaults():
    assert normalize_schedule(None) == {"frequency": "daily"}
    assert normalize_schedule({"frequency": "weekly"}) == {
        "frequency": "weekly",
        "times_per_week": 1,
    }
    assert normalize_schedule({"frequency": "daily", "days_of_week": ["fri", "mon", "fri"]}) == {
        "frequency": "daily",
        "days_of_week": ["mon", "fri"],
    }


class Event(ma.Schema):
    at = Instant(required=True)


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("2026-11-26T07:30:00+01:00", "2026-11-26T06:30:00Z"),
        ("2026-11-26T06:30:00Z", "2026-11-26T06:30:00Z"),
        ("2026-11-26T06:30:00.250-05:00", "2026-11-26T11:30:00.250Z"),
    ],
)
def test_instants_need_an_offset_and_are_written_in_utc_with_z(given, written):
    loaded = Event().load({"at": given})
    assert Event().dump(loaded) == {"at": written}


@pytest.mark.parametrize("naive", ["2026-11-26T07:30:00", "2026-11-26", "yesterday"])
def test_naive_or_bad_instants_are_rejected(naive):
    with pytest.raises(ma.ValidationError):
        Event().load({"at": naive})
