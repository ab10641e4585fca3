"""Reminders in tests: SNS platform applications on moto, push tokens, running a pass at an
injected instant, and what was pushed (read from moto's SNS backend, in this process)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from lifestyle_api.db.keys import NOTIFICATION_PREFIX, status_shard, user_pk
from lifestyle_api.notifications.models import NotificationItem
from lifestyle_api.reminders.service import run_reminders
from lifestyle_api.reminders.timing import instant_of
from tests.support.aws import TEST_REGION

IOS_APPLICATION = "lifestyle-test-ios"
ANDROID_APPLICATION = "lifestyle-test-android"
_tokens = itertools.count(1)


def create_push_applications(endpoint_url: str | None = None) -> dict[str, str]:
    """The platform applications on moto, as the app's settings name them."""
    sns = boto3.client("sns", region_name=TEST_REGION, endpoint_url=endpoint_url)
    ios = sns.create_platform_application(Name=IOS_APPLICATION, Platform="APNS", Attributes={})
    android = sns.create_platform_application(
        Name=ANDROID_APPLICATION, Platform="GCM", Attributes={}
    )
    return {
        "SNS_IOS_PLATFORM_APPLICATION_ARN": ios["PlatformApplicationArn"],
        "SNS_ANDROID_PLATFORM_APPLICATION_ARN": android["PlatformApplicationArn"],
    }


def ios_token() -> str:
    """A new APNs-shaped token (64 hex digits)."""
    return f"{next(_tokens):064x}"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(day: date, hour: int, minute: int, timezone: str) -> datetime:
    """The instant a local time happens (the pass's own rule, tested on its own)."""
    return instant_of(day, time(hour, minute), timezone)


def past_day(days: int) -> date:
    """A day before today's (check-ins cannot be after today)."""
    return datetime.now(UTC).date() - timedelta(days=days)


def set_profile(client, timezone: str, **notifications) -> None:
    body = {"timezone": timezone, **({"notifications": notifications} if notifications else {})}
    response = client.patch("/me", json=body)
    assert response.status_code == 200, response.get_json()


def add_habit(client, *, reminder: str | None = None, **fields) -> str:
    """A habit (daily unless `schedule` says otherwise) through the API; its id."""
    body = {"title": "Meditate 10 minutes", "startDate": "2025-01-01", **fields}
    if reminder:
        body["reminder"] = {"time": reminder}
    response = client.post("/goals", json=body)
    assert response.status_code == 201, response.get_json()
    return response.json["goalId"]


def check_in(client, goal_id: str, *days: date) -> None:
    for day in days:
        response = client.post(f"/goals/{goal_id}/check-ins", json={"date": day.isoformat()})
        assert response.status_code == 201, response.get_json()


def register_device(client, token: str | None = None, platform: str = "ios") -> str:
    token = token or ios_token()
    response = client.post("/me/devices", json={"platform": platform, "token": token})
    assert response.status_code == 201, response.get_json()
    return token


def quarter_hours(first: datetime, last: datetime) -> list[datetime]:
    """Every pass instant from `first` to `last` inclusive, 15 minutes apart."""
    count = int((last - first) / timedelta(minutes=15)) + 1
    return [first + timedelta(minutes=15 * n) for n in range(count)]


class Passes:
    """Runs passes for the app's settings at injected instants, over the shards of the
    users named (so a day of 96 passes stays quick), with a clock that follows `at`
    unless told otherwise."""

    def __init__(self, app, subs: Iterable[str]) -> None:
        self.settings = app.extensions["lifestyle_api.settings"]
        self.shards = sorted({status_shard(sub) for sub in subs})

    def run(self, at: datetime, *, clock: Callable[[], datetime] | None = None, **options):
        return run_reminders(
            at, self.settings, shards=self.shards, clock=clock or (lambda: at), **options
        )

    def over(self, instants: Iterable[datetime], sub: str) -> dict[datetime, list]:
        """Run a pass at each instant; `{instant: notifications that pass stored}` for the
        passes that stored any."""
        seen = {n.notification_id for n in stored_notifications(sub)}
        added: dict[datetime, list] = {}
        for at in instants:
            self.run(at)
            new = [n for n in stored_notifications(sub) if n.notification_id not in seen]
            seen |= {n.notification_id for n in new}
            if new:
                added[at] = new
        return added


def stored_notifications(sub: str) -> list[NotificationItem]:
    """The user's notifications as stored (expired or not: the inbox hides those past 30
    days of the real clock, and these tests run passes at fixed instants)."""
    return list(
        NotificationItem.query(user_pk(sub), NotificationItem.sk.startswith(NOTIFICATION_PREFIX))
    )


def inbox_of(client) -> list[dict]:
    """Every notification in the user's inbox (all pages)."""
    items, cursor = [], None
    while True:
        query = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = client.get("/notifications", query_string=query)
        assert page.status_code == 200, page.get_json()
        items += page.json["items"]
        cursor = page.json["nextCursor"]
        if cursor is None:
            return items


def pushed_messages(region: str = TEST_REGION) -> dict[str, list[str]]:
    """Messages moto's SNS accepted, by device token."""
    backend = sns_backends[DEFAULT_ACCOUNT_ID][region]
    return {
        endpoint.token: list(endpoint.messages.values())
        for endpoint in backend.platform_endpoints.values()
    }


def disable_endpoint_of(token: str, endpoint_url: str | None = None) -> None:
    """What SNS does when APNs or FCM report a token as no longer valid."""
    sns = boto3.client("sns", region_name=TEST_REGION, endpoint_url=endpoint_url)
    for application in sns.list_platform_applications()["PlatformApplications"]:
        endpoints = sns.list_endpoints_by_platform_application(
            PlatformApplicationArn=application["PlatformApplicationArn"]
        )["Endpoints"]
        for endpoint in endpoints:
            if endpoint["Attributes"]["Token"] == token:
                sns.set_endpoint_attributes(
                    EndpointArn=endpoint["EndpointArn"], Attributes={"Enabled": "false"}
                )
