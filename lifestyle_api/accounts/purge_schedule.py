"""The second pass of an account deletion on AWS: a one-off EventBridge Scheduler schedule
that invokes this same function with `{"task": "purge-deleted", "userId": <sub>}` once every
access token issued before the deletion has expired, and deletes itself after it ran. No
Flask.

The schedule's name is derived from the user id, so a deletion that is retried finds its
schedule already there instead of making a second one. Without the scheduler settings
(local runs) nothing is scheduled: `python -m migrations_scripts purge-deleted` runs the
passes that are due. A scheduler failure is a 503: the deletion is finished by the retry.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import aws
from ..config import Settings
from ..exceptions import ServiceUnavailable
from ..observability import logger
from ..timeutil import to_utc

PURGE_TASK = "purge-deleted"
# The scheduler retries an invocation that fails (throttled, the function erroring) for
# up to a day.
RETRY_POLICY = {"MaximumRetryAttempts": 20, "MaximumEventAgeInSeconds": 24 * 3600}


def is_configured(settings: Settings) -> bool:
    return bool(
        settings.purge_schedule_group
        and settings.purge_scheduler_role_arn
        and settings.purge_function_arn
    )


def schedule_name(sub: str) -> str:
    """`purge-<digest of the user id>`: within the scheduler's name rules for any id."""
    return f"purge-{hashlib.sha256(sub.encode()).hexdigest()[:40]}"


def purge_event(sub: str) -> dict[str, Any]:
    return {"task": PURGE_TASK, "userId": sub}


def schedule_second_pass(settings: Settings, sub: str, at: datetime) -> bool:
    """Create the schedule (once); returns whether one is configured to exist."""
    if not is_configured(settings):
        return False
    try:
        _client(settings.aws_region, settings.aws_endpoint_url).create_schedule(
            Name=schedule_name(sub),
            GroupName=settings.purge_schedule_group,
            Description="The second pass of an account deletion.",
            ScheduleExpression=f"at({to_utc(at):%Y-%m-%dT%H:%M:%S})",
            ScheduleExpressionTimezone="UTC",
            FlexibleTimeWindow={"Mode": "OFF"},
            ActionAfterCompletion="DELETE",
            Target={
                "Arn": settings.purge_function_arn,
                "RoleArn": settings.purge_scheduler_role_arn,
                "Input": json.dumps(purge_event(sub)),
                "RetryPolicy": RETRY_POLICY,
            },
        )
    except ClientError as exc:
        if _code(exc) != "ConflictException":  # already scheduled by an earlier attempt
            raise _unavailable("CreateSchedule", exc) from None
    except BotoCoreError as exc:
        raise _unavailable("CreateSchedule", exc) from None
    return True


def cancel_second_pass(settings: Settings, sub: str) -> None:
    """Delete the schedule once its pass has run (it may have deleted itself already)."""
    if not is_configured(settings):
        return
    try:
        _client(settings.aws_region, settings.aws_endpoint_url).delete_schedule(
            Name=schedule_name(sub), GroupName=settings.purge_schedule_group
        )
    except ClientError as exc:
        if _code(exc) != "ResourceNotFoundException":
            logger.warning("Purge schedule not deleted", extra={"error_code": _code(exc)})
    except BotoCoreError as exc:
        logger.warning("Purge schedule not deleted", extra={"error_type": type(exc).__name__})


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def _unavailable(operation: str, exc: Exception) -> ServiceUnavailable:
    code = _code(exc) if isinstance(exc, ClientError) else type(exc).__name__
    logger.error("Scheduler refused a call", extra={"operation": operation, "error_code": code})
    return ServiceUnavailable("The deletion could not be completed; send it again.")


def _client(region: str, endpoint_url: str | None):
    return aws.client("scheduler", region, endpoint_url)
