"""A Python client generated from the served document with openapi-python-client, as a client
team would generate it, walks a whole session against the API as `make run` serves it:
every operation is called, every answer (errors and API Gateway's own `{"message"}` shape
included) is parsed into its typed model, and each model holds exactly what the server
sent, with nothing left `Unset`. The client is generated into a temporary folder."""

from __future__ import annotations

import importlib
import json
import re
import sys
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from lifestyle_api.reminders.timing import instant_of
from lifestyle_api.timeutil import today_in
from tests.contract.conftest import run_tool
from tests.support.local_run import PROJECT_ROOT

pytestmark = pytest.mark.slow

PACKAGE = "lifestyle_api_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# The generated code is used as generated: no formatter run over it.
GENERATOR_CONFIG = "post_hooks: []\n"
EMAIL = "sdk.user@example.com"
PASSWORD = "Str0ng-passw0rd"
NEW_PASSWORD = "N3w-passw0rd-9"
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
TIMEZONE = "Europe/Paris"
DEVICE_TOKEN = "c0ffee" * 10
REMINDER_TIME = time(8, 0)
# The change feed holds back its last few seconds: a client polls again from `next`.
FEED_POLL_SECONDS = 0.5
FEED_DEADLINE_SECONDS = 60


@pytest.fixture(scope="module")
def sdk(document_file, tmp_path_factory) -> ModuleType:
    """The generated package, imported from its temporary folder."""
    folder = tmp_path_factory.mktemp("python-client")
    config = folder / "config.yaml"
    config.write_text(GENERATOR_CONFIG)
    result = run_tool(
        str(GENERATOR),
        "generate",
        "--path",
        str(document_file),
        "--meta",
        "none",
        "--output-path",
        str(folder / PACKAGE),
        "--config",
        str(config),
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def normalized(value: Any) -> Any:
    """JSON with instants as datetimes, so `Z` and `+00:00` compare equal."""
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalized(item) for item in value]
    if isinstance(value, str) and INSTANT.fullmatch(value):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


class Session:
    """Calls the generated operations and checks each answer against the typed model."""

    def __init__(self, sdk: ModuleType, base_url: str) -> None:
        self.sdk = sdk
        self.base_url = base_url
        self.models = importlib.import_module(f"{PACKAGE}.models")
        self.called: set[str] = set()
        self.token: str | None = None

    def client(self, token: str | None = None, transport: httpx.BaseTransport | None = None):
        httpx_args = {"transport": transport} if transport else {}
        if token:
            return self.sdk.AuthenticatedClient(
                base_url=self.base_url,
                token=token,
                raise_on_unexpected_status=True,
                httpx_args=httpx_args,
            )
        return self.sdk.Client(
            base_url=self.base_url, raise_on_unexpected_status=True, httpx_args=httpx_args
        )

    def call(self, operation: str, *args: Any, client=None, **kwargs: Any):
        """`operation` (`"goals.create_goal"`) with the session's token unless told."""
        module = importlib.import_module(f"{PACKAGE}.api.{operation}")
        self.called.add(operation)
        client = client or self.client(self.token)
        return module.sync_detailed(*args, client=client, **kwargs)

    def expect(self, response, status: int, model: str | None):
        """The answer has `status` and parses into `model` holding all that was sent."""
        assert response.status_code == status, response.content
        if model is None:
            assert response.parsed is None
            assert response.content == b""
            return None
        parsed = response.parsed
        assert type(parsed) is getattr(self.models, model), (model, response.content)
        assert normalized(parsed.to_dict()) == normalized(json.loads(response.content))
        return parsed

    def ok(self, operation: str, *args: Any, status: int = 200, model: str | None = None, **kw):
        return self.expect(self.call(operation, *args, **kw), status, model)

    def follow_feed(self, until: Callable[[Any], bool]) -> list[Any]:
        """The change feed from its beginning, page after page from `next`, as an offline-first
        client reads it, until a change `until` accepts has settled."""
        deadline = clock.monotonic() + FEED_DEADLINE_SECONDS
        changes: list[Any] = []
        since: dict[str, str] = {}
        while True:
            page = self.ok("sync.list_changes", limit=2, model="SyncPage", **since)
            changes += page.changes
            if any(until(change) for change in changes):
                return changes
            assert clock.monotonic() < deadline, "the feed never delivered the change"
            if not page.has_more:
                clock.sleep(FEED_POLL_SECONDS)
            since = {"since": page.next_}

    def fails(self, operation: str, *args: Any, status: int, **kwargs: Any):
        """An error answer, parsed into the app's envelope."""
        error = self.expect(self.call(operation, *args, **kwargs), status, "Error")
        assert error.message
        assert error.request_id
        return error


def gateway(status: int, message: str) -> httpx.MockTransport:
    """What API Gateway answers by itself, before the app sees the request."""
    return httpx.MockTransport(lambda _request: httpx.Response(status, json={"message": message}))


def test_a_whole_session_through_the_generated_client(sdk, local_api):
    session = Session(sdk, local_api.url)
    m = session.models
    today = datetime.now(UTC)

    health = session.ok("health.get_health", model="Health")
    assert health.status == "ok"

    # Sign up, log in (the local API confirms sign-ups at once).
    register = m.Register(email=EMAIL, password=PASSWORD, name="Sdk User")
    registration = session.ok("auth.register", body=register, status=201, model="Registration")
    assert registration.confirmed is True
    session.fails("auth.register", body=register, status=409)
    session.ok("auth.confirm_account", body=m.Confirm(email=EMAIL, code="123456"), status=204)
    session.ok(
        "auth.resend_confirmation_code", body=m.Email(email=EMAIL), status=202, model="Accepted"
    )
    session.fails("auth.login", body=m.Login(email=EMAIL, password="Wrong-passw0rd"), status=401)
    tokens = session.ok("auth.login", body=m.Login(email=EMAIL, password=PASSWORD), model="Tokens")
    session.token = tokens.access_token

    # Missing token: the app's envelope; behind the gateway, its own shape.
    session.fails("profile.get_profile", client=session.client(), status=401)
    expired = session.call(
        "profile.get_profile", client=session.client(transport=gateway(401, "Unauthorized"))
    )
    assert session.expect(expired, 401, "GatewayError").message == "Unauthorized"

    # Profile, with If-Match.
    profile = session.ok("profile.get_profile", model="Profile")
    assert (profile.email, profile.name) == (EMAIL, "Sdk User")
    assert profile.unit_system == m.UnitSystem.METRIC
    assert profile.daily_targets.steps is None
    assert (profile.notifications.enabled, profile.notifications.quiet_hours) == (True, None)
    etag = session.call("profile.get_profile").headers["ETag"]
    changes = m.ProfileUpdate(
        timezone=TIMEZONE,
        unit_system=m.UnitSystem.IMPERIAL,
        daily_targets=m.DailyTargetsInput(steps=8000, water_ml=2000),
        notifications=m.NotificationsInput(streak_nudges=False),
    )
    profile = session.ok("profile.update_profile", body=changes, if_match=etag, model="Profile")
    assert (profile.timezone, profile.daily_targets.steps) == (TIMEZONE, 8000)
    assert (profile.notifications.enabled, profile.notifications.streak_nudges) == (True, False)
    session.fails("profile.update_profile", body=changes, if_match=etag, status=412)

    # Goals: create (one retried with an Idempotency-Key), page through, read, update.
    habit = m.GoalCreate(title="Walk 30 minutes", category=m.GoalCategory.FITNESS)
    created = session.call("goals.create_goal", body=habit, idempotency_key="walk-1")
    goal = session.expect(created, 201, "Goal")
    assert goal.schedule.frequency == m.ScheduleFrequency.DAILY
    assert goal.target is None
    assert created.headers["Location"] == f"/goals/{goal.goal_id}"
    replayed = session.call("goals.create_goal", body=habit, idempotency_key="walk-1")
    assert session.expect(replayed, 201, "Goal").goal_id == goal.goal_id
    assert replayed.headers["Idempotent-Replayed"] == "true"
    other = m.GoalCreate(title="Something else")
    session.fails("goals.create_goal", body=other, idempotency_key="walk-1", status=422)
    steps = m.GoalCreate(
        title="10,000 steps",
        type_=m.GoalType.TARGET,
        target=m.Target(
            metric=m.TargetMetric.STEPS, value=10000, direction=m.TargetDirection.ATLEAST
        ),
    )
    target_goal = session.ok("goals.create_goal", body=steps, status=201, model="Goal")
    assert target_goal.schedule is None
    weekly = m.GoalCreate(
        title="Swim",
        schedule=m.ScheduleInput(frequency=m.ScheduleFrequency.WEEKLY, times_per_week=2),
    )
    session.ok("goals.create_goal", body=weekly, status=201, model="Goal")
    invalid = session.fails("goals.create_goal", body=m.GoalCreate(title="x" * 121), status=400)
    assert "title" in invalid.details.additional_properties

    first = session.ok("goals.list_goals", limit=2, model="GoalPage")
    assert len(first.items) == 2
    assert isinstance(first.next_cursor, str)
    second = session.ok("goals.list_goals", limit=2, cursor=first.next_cursor, model="GoalPage")
    assert second.next_cursor is None
    assert len({g.goal_id for g in [*first.items, *second.items]}) == 3
    session.fails("goals.list_goals", cursor="not-a-cursor", status=400)

    read = session.call("goals.get_goal", goal.goal_id)
    assert session.expect(read, 200, "Goal").progress.check_in_count == 0
    renamed = m.GoalUpdate(title="Walk 40 minutes")
    updated = session.ok(
        "goals.update_goal", goal.goal_id, body=renamed, if_match=read.headers["ETag"], model="Goal"
    )
    assert updated.title == "Walk 40 minutes"
    session.fails(
        "goals.update_goal", goal.goal_id, body=renamed, if_match=read.headers["ETag"], status=412
    )
    missing = session.fails("goals.get_goal", "0" * 26, status=404)
    assert missing.error == "Not Found"
    unknown_route = session.call(
        "goals.get_goal", goal.goal_id, client=session.client("t", gateway(404, "Not Found"))
    )
    assert session.expect(unknown_route, 404, "GatewayError").message == "Not Found"

    # Check-ins: a new day (201), the same day again (200), list, read, delete.
    check_in = m.CheckInCreate(note="Around the park")
    first_check_in = session.ok(
        "goals.create_check_in", goal.goal_id, body=check_in, status=201, model="CheckIn"
    )
    again = m.CheckInCreate(value=40)
    same_day = session.ok("goals.create_check_in", goal.goal_id, body=again, model="CheckIn")
    assert (same_day.date, same_day.value, same_day.note) == (
        first_check_in.date,
        40,
        "Around the park",
    )
    page = session.ok("goals.list_check_ins", goal.goal_id, model="CheckInPage")
    assert [c.date for c in page.items] == [first_check_in.date]
    day = first_check_in.date
    session.ok("goals.get_check_in", goal.goal_id, day, model="CheckIn")
    session.ok("goals.delete_check_in", goal.goal_id, day, status=204)
    session.fails("goals.get_check_in", goal.goal_id, day, status=404)
    session.ok("goals.create_check_in", goal.goal_id, body=check_in, status=201, model="CheckIn")

    # Activities.
    run = m.ActivityCreate(
        type_=m.ActivityType.RUN,
        started_at=today - timedelta(hours=1),
        duration_minutes=30,
        intensity=m.Intensity.MODERATE,
        goal_id=goal.goal_id,
    )
    activity = session.ok("activities.create_activity", body=run, status=201, model="Activity")
    assert (activity.distance_m, activity.notes) == (None, None)
    activity = session.ok(
        "activities.update_activity",
        activity.activity_id,
        body=m.ActivityUpdate(notes="Hills", distance_m=5200),
        model="Activity",
    )
    assert activity.distance_m == 5200
    session.ok("activities.get_activity", activity.activity_id, model="Activity")
    listed = session.ok(
        "activities.list_activities", type_=m.ActivityType.RUN, model="ActivityPage"
    )
    assert [a.activity_id for a in listed.items] == [activity.activity_id]

    # Meals.
    oats = m.MealItemInput(
        name="Oats", quantity=60, unit="g", calories_kcal=230, protein_g=8, carbs_g=40, fat_g=4
    )
    breakfast = m.MealCreate(
        meal_type=m.MealType.BREAKFAST, eaten_at=today - timedelta(minutes=30), items=[oats]
    )
    meal = session.ok("meals.create_meal", body=breakfast, status=201, model="Meal")
    assert (meal.totals.calories_kcal, meal.totals.fiber_g) == (230, None)
    meal = session.ok(
        "meals.update_meal", meal.meal_id, body=m.MealUpdate(name="Porridge"), model="Meal"
    )
    session.ok("meals.get_meal", meal.meal_id, model="Meal")
    session.ok("meals.list_meals", meal_type=m.MealType.BREAKFAST, model="MealPage")

    # Metrics, one by one and in a batch (imperial: weights come back in lb).
    weighed = m.MetricCreate(
        type_=m.MetricType.WEIGHT,
        value=72.5,
        unit=m.MetricUnit.KG,
        recorded_at=today - timedelta(hours=2),
        source=m.SourceInput(name="scale", external_id="w-1"),
    )
    metric = session.ok("metrics.create_metric", body=weighed, status=201, model="Metric")
    assert (metric.unit, metric.source.name) == (m.MetricUnit.LB, "scale")
    duplicate = session.ok("metrics.create_metric", body=weighed, model="Metric")
    assert duplicate.metric_id == metric.metric_id
    walked = m.MetricCreate(
        type_=m.MetricType.STEPS,
        value=7500,
        unit=m.MetricUnit.COUNT,
        recorded_at=today - timedelta(minutes=5),
    )
    impossible = m.MetricCreate(
        type_=m.MetricType.WEIGHT, value=-1, unit=m.MetricUnit.KG, recorded_at=today
    )
    batch = session.ok(
        "metrics.create_metric_batch",
        body=m.MetricBatch(items=[walked, weighed, impossible]),
        model="MetricBatchResult",
    )
    statuses = [result.status for result in batch.results]
    assert statuses == [
        m.MetricBatchItemStatus.CREATED,
        m.MetricBatchItemStatus.DUPLICATE,
        m.MetricBatchItemStatus.INVALID,
    ]
    assert "value" in batch.results[2].errors.additional_properties
    weights = session.ok("metrics.list_metrics", type_=m.MetricType.WEIGHT, model="MetricPage")
    assert [w.metric_id for w in weights.items] == [metric.metric_id]
    session.ok("metrics.get_metric", metric.metric_id, model="Metric")

    # Devices, a habit with a reminder, a reminders pass (as the banner of `make run` says to
    # run it), and the inbox it filled.
    phone = m.DeviceCreate(platform=m.DevicePlatform.IOS, token=DEVICE_TOKEN)
    device = session.ok("devices.register_device", body=phone, status=201, model="Device")
    assert device.token_suffix == DEVICE_TOKEN[-6:]
    assert session.ok("devices.register_device", body=phone, model="Device") == device
    assert session.ok("devices.get_device", device.device_id, model="Device") == device
    devices = session.ok("devices.list_devices", model="DevicePage")
    assert ([d.device_id for d in devices.items], devices.next_cursor) == ([device.device_id], None)
    reminded = m.GoalCreate(title="Stretch", reminder=m.Reminder(time=f"{REMINDER_TIME:%H:%M}"))
    stretch = session.ok("goals.create_goal", body=reminded, status=201, model="Goal")
    assert stretch.reminder.time == f"{REMINDER_TIME:%H:%M}"
    assert goal.reminder is None
    reminders_pass = local_api.run_reminders(
        instant_of(today_in(TIMEZONE), REMINDER_TIME, TIMEZONE)
    )
    assert reminders_pass.returncode == 0, reminders_pass.stderr
    inbox = session.ok("notifications.list_notifications", model="NotificationPage")
    (notification,) = inbox.items
    assert (notification.kind, notification.read_at) == (m.NotificationKind.REMINDER, None)
    assert notification.goal_id == stretch.goal_id
    notification_id = notification.notification_id
    session.ok("notifications.get_notification", notification_id, model="Notification")
    read = session.ok("notifications.mark_notification_read", notification_id, model="Notification")
    assert read.read_at is not None
    again = session.ok(
        "notifications.mark_notification_read",
        notification_id,
        body=m.NotificationRead(),
        model="Notification",
    )
    assert again.read_at == read.read_at
    session.fails("notifications.get_notification", "0" * 26, status=404)

    # Summaries and the coach (whose bodies are optional: sent empty, as JSON).
    daily = session.ok("summaries.get_daily_summary", model="DailySummary")
    assert daily.timezone == TIMEZONE
    monday = date.fromisoformat(daily.date.isoformat()) - timedelta(days=daily.date.weekday())
    weekly = session.ok("summaries.get_weekly_summary", week_start=monday, model="WeeklySummary")
    assert len(weekly.days) == 7
    insights = session.ok("coach.generate_insights", model="InsightsResponse")
    assert insights.source == m.CoachSource.RULES
    session.ok(
        "coach.generate_insights",
        body=m.InsightsRequest(period=m.CoachPeriod.DAY),
        model="InsightsResponse",
    )
    suggestions = session.ok("coach.generate_goal_suggestions", model="GoalSuggestionsResponse")
    suggested = m.GoalCreate.from_dict(suggestions.suggestions[0].goal.to_dict())
    session.ok("goals.create_goal", body=suggested, status=201, model="Goal")
    throttled = session.call(
        "coach.generate_insights", client=session.client("t", gateway(429, "Too Many Requests"))
    )
    assert session.expect(throttled, 429, "GatewayError").message == "Too Many Requests"

    # The export holds everything, metrics in their canonical unit.
    export = session.ok("profile.export_profile", model="ExportPage")
    assert export.next_cursor is None
    assert (len(export.goals), len(export.check_ins), len(export.meals)) == (5, 1, 1)
    assert {(x.type_, x.unit) for x in export.metrics} == {
        (m.MetricType.WEIGHT, m.MetricUnit.KG),
        (m.MetricType.STEPS, m.MetricUnit.COUNT),
    }

    # The change feed, followed from its beginning: each change typed by its kind, its `data`
    # the resource as its own GET answers it.
    changes = session.follow_feed(until=lambda change: isinstance(change, m.ProfileChange))
    reads = {
        m.ProfileChange: m.Profile,
        m.GoalChange: m.Goal,
        m.CheckInChange: m.CheckIn,
        m.ActivityChange: m.Activity,
        m.MealChange: m.Meal,
        m.MetricChange: m.Metric,
    }
    for change in changes:
        upsert = change.op == m.SyncOperation.UPSERT
        assert type(change.data) is (reads[type(change)] if upsert else type(None))
    (profile_change,) = [c for c in changes if isinstance(c, m.ProfileChange)]
    assert (profile_change.id, profile_change.data.timezone) == (profile.user_id, TIMEZONE)
    session.fails("sync.list_changes", since="not-a-token", status=400)

    # Deletions, with and without If-Match.
    session.ok("devices.delete_device", device.device_id, status=204)
    session.fails("devices.get_device", device.device_id, status=404)
    session.ok("metrics.delete_metric", metric.metric_id, status=204)
    session.ok("meals.delete_meal", meal.meal_id, status=204)
    session.fails("activities.delete_activity", activity.activity_id, if_match='"0"', status=412)
    session.ok("activities.delete_activity", activity.activity_id, status=204)
    session.ok("goals.delete_goal", target_goal.goal_id, status=204)
    session.fails("goals.get_goal", target_goal.goal_id, status=404)

    # Tokens: refresh, reset the password, log out everywhere.
    refreshed = session.ok(
        "auth.refresh_tokens",
        body=m.Refresh(refresh_token=tokens.refresh_token),
        model="RefreshedTokens",
    )
    session.token = refreshed.access_token
    session.ok("profile.get_profile", model="Profile")
    session.ok("auth.forgot_password", body=m.Email(email=EMAIL), status=202, model="Accepted")
    reset = m.ResetPassword(email=EMAIL, code="123456", new_password=NEW_PASSWORD)
    session.ok("auth.reset_password", body=reset, status=204)
    tokens = session.ok(
        "auth.login", body=m.Login(email=EMAIL, password=NEW_PASSWORD), model="Tokens"
    )
    session.token = tokens.access_token
    session.ok("auth.logout", status=204)
    session.fails(
        "auth.refresh_tokens", body=m.Refresh(refresh_token=tokens.refresh_token), status=401
    )

    # Delete the account: the user is gone from Cognito too.
    session.ok("profile.delete_account", status=204)
    session.fails("auth.login", body=m.Login(email=EMAIL, password=NEW_PASSWORD), status=401)

    every_operation = {
        f"{tag.name}.{operation.stem}"
        for tag in (Path(sdk.__file__).parent / "api").iterdir()
        if tag.is_dir() and not tag.name.startswith("_")
        for operation in tag.glob("*.py")
        if operation.stem != "__init__"
    }
    assert len(every_operation) == 49
    assert session.called == every_operation
