"""Amazon SNS mobile push: a device's platform endpoint, publishing to it, and what the push
service's answers mean.

- `PushRejected`: the push service refuses the device's token (the endpoint is disabled, or
  the token is not one): the device is removed;
- `PushFailed`: anything else (throttling, an AWS-side failure, an unreachable endpoint,
  an endpoint deleted behind our back): the push is tried again on a later pass.

The platform applications (APNs for iOS, FCM for Android) come from the settings; a
platform without one gets no push. Locally and in tests the endpoint is the emulator's SNS.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from .. import aws
from ..config import Settings
from ..records import Record

# Failures with no AWS error code: an endpoint unreachable, or an answer that is not SNS's.
TRANSPORT_FAILURES = (BotoCoreError, ResponseParserError)
ENDPOINT_DISABLED = "EndpointDisabled"
INVALID_PARAMETER = "InvalidParameter"
NOT_FOUND = "NotFound"


class PushRejected(Exception):
    """The push service says the device's token is no longer valid."""


class PushFailed(Exception):
    """The push did not go through this time; try again later."""

    def __init__(self, message: str, *, endpoint_gone: bool = False) -> None:
        super().__init__(message)
        self.endpoint_gone = endpoint_gone


class PushMessage(Record):
    """What a device shows, with the ids an app needs to open the right screen."""

    notification_id: str
    kind: str
    title: str
    body: str
    goal_id: str | None

    def sns_message(self) -> str:
        """SNS's per-platform JSON message (`MessageStructure: json`)."""
        data = {"notificationId": self.notification_id, "kind": self.kind, "goalId": self.goal_id}
        apns = json.dumps(
            {"aps": {"alert": {"title": self.title, "body": self.body}, "sound": "default"}, **data}
        )
        fcm = json.dumps(
            {
                "notification": {"title": self.title, "body": self.body},
                # FCM data values are strings.
                "data": {name: value or "" for name, value in data.items()},
            }
        )
        return json.dumps({"default": self.body, "APNS": apns, "APNS_SANDBOX": apns, "GCM": fcm})


class PushGateway:
    """SNS mobile push for the platform applications named in the settings."""

    def __init__(self, settings: Settings) -> None:
        self._applications = {
            "ios": settings.sns_ios_platform_application_arn,
            "android": settings.sns_android_platform_application_arn,
        }
        self._region = settings.aws_region
        self._endpoint_url = settings.aws_endpoint_url

    def handles(self, platform: str) -> bool:
        return bool(self._applications.get(platform))

    @property
    def _sns(self):
        return sns_client(self._region, self._endpoint_url)

    def create_endpoint(self, platform: str, token: str) -> str:
        """The platform endpoint for a token (SNS answers the existing one for a known token)."""
        try:
            answer = self._sns.create_platform_endpoint(
                PlatformApplicationArn=self._applications[platform], Token=token
            )
        except ClientError as exc:
            if _code(exc) == INVALID_PARAMETER:
                raise PushRejected("the push service refused the token") from exc
            raise PushFailed(f"creating the endpoint failed: {_code(exc)}") from exc
        except TRANSPORT_FAILURES as exc:
            raise PushFailed(f"creating the endpoint failed: {type(exc).__name__}") from exc
        return answer["EndpointArn"]

    def publish(self, endpoint_arn: str, message: PushMessage) -> None:
        try:
            self._sns.publish(
                TargetArn=endpoint_arn, Message=message.sns_message(), MessageStructure="json"
            )
        except ClientError as exc:
            code = _code(exc)
            if code == ENDPOINT_DISABLED:
                raise PushRejected("the endpoint is disabled") from exc
            if code == NOT_FOUND:
                raise PushFailed("the endpoint is gone", endpoint_gone=True) from exc
            if code == INVALID_PARAMETER and not self._enabled(endpoint_arn):
                raise PushRejected("the endpoint is disabled") from exc
            raise PushFailed(f"publishing failed: {code}") from exc
        except TRANSPORT_FAILURES as exc:
            raise PushFailed(f"publishing failed: {type(exc).__name__}") from exc

    def delete_endpoint(self, endpoint_arn: str) -> None:
        """Best effort: an endpoint left behind costs nothing and is never published to."""
        try:
            self._sns.delete_endpoint(EndpointArn=endpoint_arn)
        except (ClientError, *TRANSPORT_FAILURES):
            return

    def _enabled(self, endpoint_arn: str) -> bool:
        """Whether SNS still has the endpoint enabled (`Enabled` is the string "true")."""
        try:
            attributes = self._sns.get_endpoint_attributes(EndpointArn=endpoint_arn)
        except ClientError as exc:
            return _code(exc) != NOT_FOUND
        except TRANSPORT_FAILURES:
            return True
        return str(attributes.get("Attributes", {}).get("Enabled", "true")).lower() == "true"


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def sns_client(region: str, endpoint_url: str | None) -> Any:
    """The process's SNS client for a region and endpoint (`lifestyle_api.aws`)."""
    return aws.client("sns", region, endpoint_url)
