"""README's reminders walk on a local run: the demo user registers a device, a pass runs with
`--at` and the settings the banner prints, and the reminder is in the inbox and was pushed
through the emulator's SNS."""

from __future__ import annotations

import re
from datetime import time

import boto3
import pytest

from lifestyle_api.reminders.timing import instant_of
from lifestyle_api.timeutil import today_in
from migrations_scripts.seed import DEMO_TIMEZONE
from tests.support.aws import TEST_REGION

pytestmark = pytest.mark.slow
TOKEN = "a1" * 32


def test_a_device_a_pass_with_at_and_the_inbox(local_run):
    run = local_run()
    run.wait_for_health()
    token = run.demo_access_token()
    status, device, _ = run.request(
        "POST", "/me/devices", {"platform": "ios", "token": TOKEN}, token=token
    )
    assert status == 201, device
    at = instant_of(today_in(DEMO_TIMEZONE), time(8, 0), DEMO_TIMEZONE)

    passed = run.run_reminders(at)

    assert passed.returncode == 0, passed.stderr
    assert re.search(r"\bpushed 1\b", passed.stdout), passed.stdout
    assert re.search(r"\breminder 1\b", passed.stdout), passed.stdout
    status, inbox, _ = run.request("GET", "/notifications", token=token)
    assert status == 200
    assert [(n["kind"], n["title"]) for n in inbox["items"]] == [
        ("reminder", "Meditate for 10 minutes")
    ]
    sns = boto3.client("sns", region_name=TEST_REGION, endpoint_url=run.emulator_url)
    endpoints = sns.list_endpoints_by_platform_application(
        PlatformApplicationArn=run.reminder_settings()["SNS_IOS_PLATFORM_APPLICATION_ARN"]
    )["Endpoints"]
    assert [e["Attributes"]["Token"] for e in endpoints] == [TOKEN]
