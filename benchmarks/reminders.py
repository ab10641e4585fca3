"""One reminders pass over many active users, on the emulator (moto's server mode, the 16
shards in parallel as on AWS): DynamoDB requests, the capacity units they would consume,
SNS requests and time, per user.

Each user has a profile (timezones spread over UTC-03:30 to UTC+14), two active daily habits
(one with a reminder) and one iOS device. Two passes are measured:

- `quiet`: nothing falls due for anyone: what every one of the day's 96 passes costs;
- `due`: every user's reminder falls due in the pass's window: the goal read, the inbox
  write, the devices read, the push (to an endpoint made on the device's first push) and its
  record. A user meets such a pass about twice a day (the reminder, the 20:00 streak
  check), so a day costs about 96 quiet passes and two due ones.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import botocore.client
from botocore.config import Config
from ulid import ULID

from .capacity import metering

TIMEZONES = ("UTC", "Europe/Paris", "Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati")
# 10:00 UTC: 11:00 in Paris, 15:45 in Kathmandu, 06:30 in St. John's, 00:00 in Kiritimati.
DUE_AT = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
QUIET_AT = DUE_AT - timedelta(hours=1)


def seed_users(count: int, prefix: str, settings) -> list[str]:
    """`count` users whose reminders all fall due at `DUE_AT`, written in batches, each
    device with its SNS endpoint (as after its first push)."""
    import boto3

    from lifestyle_api.db import TableItem
    from lifestyle_api.goals.models import GoalItem, Reminder, Schedule
    from lifestyle_api.notifications.models import DeviceItem
    from lifestyle_api.profile.models import ProfileItem
    from lifestyle_api.timeutil import zone

    sns = boto3.client(
        "sns", endpoint_url=settings.aws_endpoint_url, region_name=settings.aws_region
    )
    subs = [f"{prefix}-{index:06d}" for index in range(count)]
    with TableItem.batch_write() as batch:
        for index, sub in enumerate(subs):
            timezone = TIMEZONES[index % len(TIMEZONES)]
            local = DUE_AT.astimezone(zone(timezone))
            batch.save(
                ProfileItem(
                    *ProfileItem.key(sub), user_id=sub, timezone=timezone, created_at=DUE_AT
                )
            )
            for number, reminder in enumerate((f"{local:%H:%M}", None)):
                goal = GoalItem(
                    *GoalItem.key(sub, goal_id := str(ULID())),
                    goal_id=goal_id,
                    title=f"Habit {number}",
                    category="fitness",
                    goal_type="habit",
                    schedule=Schedule(frequency="daily"),
                    status="active",
                    start_date=date(2026, 1, 1),
                    reminder=Reminder(time=reminder) if reminder else None,
                    created_at=DUE_AT,
                    version=1,
                )
                goal.touch(DUE_AT)
                batch.save(goal)
            device = DeviceItem(
                *DeviceItem.key(sub, "ios", token := f"{index:064x}"),
                device_id=str(ULID()),
                platform="ios",
                token=token,
                endpoint_arn=sns.create_platform_endpoint(
                    PlatformApplicationArn=settings.sns_ios_platform_application_arn,
                    Token=token,
                )["EndpointArn"],
                created_at=DUE_AT,
                version=1,
            )
            device.index_keys()
            batch.save(device)
    return subs


def push_settings(endpoint_url: str) -> dict[str, str]:
    """An iOS platform application on the emulator, as the app's settings name it."""
    import boto3

    sns = boto3.client("sns", endpoint_url=endpoint_url, region_name="us-east-1")
    application = sns.create_platform_application(Name="bench-ios", Platform="APNS", Attributes={})
    return {"SNS_IOS_PLATFORM_APPLICATION_ARN": application["PlatformApplicationArn"]}


@contextmanager
def counting_sns():
    calls: Counter[str] = Counter()
    original = botocore.client.BaseClient._make_api_call

    def counted(client, operation_name, api_params):
        if client.meta.service_model.endpoint_prefix == "sns":
            calls[operation_name] += 1
        return original(client, operation_name, api_params)

    botocore.client.BaseClient._make_api_call = counted
    try:
        yield calls
    finally:
        botocore.client.BaseClient._make_api_call = original


def measure_pass(settings, at: datetime, users: int) -> dict:
    from lifestyle_api.reminders.service import run_reminders

    with metering() as meter, counting_sns() as sns:
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = run_reminders(at, settings)
        seconds = time.perf_counter() - started
        # This process's CPU, every thread: the pass's own work and its AWS clients', without
        # the emulator's (another process). The part of a Lambda's time that is not waiting.
        cpu_seconds = time.process_time() - cpu_started
    requests = sum(meter.requests.values())
    return {
        "users": users,
        "notified": summary.get("reminder", 0),
        "pushed": summary.get("pushed", 0),
        "dynamodb_requests": requests,
        "operations": dict(meter.requests),
        "sns_requests": sum(sns.values()),
        "read_units": round(meter.read_units, 1),
        "write_units": round(meter.write_units, 1),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "per_user": {
            "requests": round(requests / users, 3),
            "read_units": round(meter.read_units / users, 3),
            "write_units": round(meter.write_units / users, 3),
            "ms": round(seconds * 1000 / users, 3),
            "cpu_ms": round(cpu_seconds * 1000 / users, 3),
        },
    }


# An emulator answers slower than DynamoDB, and the pass sends 16 queries at once: one can
# take longer than the app's 5 s read timeout, which is set for DynamoDB. It gets a minute.
EMULATOR_READ_TIMEOUT_SECONDS = 60


def measure(sizes: list[int], fresh_table, settings, dynamodb_url: str | None = None) -> list[dict]:
    """For each size, a fresh table with that many users, then the quiet and the due pass.

    DynamoDB is `dynamodb_url` when given (dynalite, whose Query reads only the key range
    asked for, as DynamoDB does), else the settings' emulator (moto, whose index Query walks
    the whole table for each page: a pass over 10,000 users takes hours there). SNS is
    always the settings' emulator."""
    from lifestyle_api import aws, db

    aws.SERVICES["dynamodb"] = aws.SERVICES["dynamodb"].merge(
        Config(read_timeout=EMULATOR_READ_TIMEOUT_SECONDS)
    )
    aws.forget_clients()
    db.configure(
        settings.table_name, settings.aws_region, dynamodb_url or settings.aws_endpoint_url
    )
    rows = []
    for size in sizes:
        fresh_table(ttl_supported=dynamodb_url is None)  # dynalite has no TTL
        seed_users(size, f"bench-reminders-{size}", settings)
        rows.append(
            {
                "users": size,
                "dynamodb": "dynalite" if dynamodb_url else "moto",
                "quiet": measure_pass(settings, QUIET_AT, size),
                "due": measure_pass(settings, DUE_AT, size),
            }
        )
    return rows


def table_lines(rows: list[dict]) -> list[str]:
    lines = [
        f"Reminders pass (DynamoDB on {' and '.join(sorted({r['dynamodb'] for r in rows}))}, "
        "SNS on moto, 16 shards in parallel), per user",
        "  ms = wall time on the emulator; cpu ms = this process's CPU (the pass and its clients)",
        f"  {'users':>6}  {'pass':<6}{'requests':>10}{'RCU':>8}{'WCU':>8}{'SNS':>6}"
        f"{'ms':>9}{'cpu ms':>9}   per 1,000 users: RCU, WCU, CPU s",
    ]
    for row in rows:
        for name in ("quiet", "due"):
            cell = row[name]
            per_user = cell["per_user"]
            lines.append(
                f"  {row['users']:>6}  {name:<6}{per_user['requests']:>10}"
                f"{per_user['read_units']:>8}{per_user['write_units']:>8}"
                f"{cell['sns_requests'] / row['users']:>6.2f}{per_user['ms']:>9}"
                f"{per_user['cpu_ms']:>9}   {per_user['read_units'] * 1000:.0f}, "
                f"{per_user['write_units'] * 1000:.0f}, {per_user['cpu_ms']:.2f}"
            )
    return lines
