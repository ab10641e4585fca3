"""Device and notification shapes.

A device's push token is write-only: answers carry its last six characters only.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..fields import Instant, OptionalBodySchema, StrictSchema, Text, page_schema
from .models import KINDS, PLATFORMS, TOKEN_SUFFIX_LENGTH

TOKEN_MAX = 4096
# APNs tokens are hex; FCM tokens are URL-safe base64 with `:` and `-` (`Text` matches the
# pattern against the whole value).
TOKEN_CHARACTERS = "[A-Za-z0-9_:.+/=-]"


class DeviceCreateSchema(StrictSchema):
    platform = ma.fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    token = Text(
        required=True,
        load_only=True,
        pattern=f"{TOKEN_CHARACTERS}+",
        error_messages={"no_match": "Not a push token."},
        validate=validate.Length(min=1, max=TOKEN_MAX),
        metadata={
            "description": "The APNs device token (iOS) or FCM registration token (Android). "
            "Never answered whole.",
        },
    )


class NotificationReadSchema(OptionalBodySchema):
    """No fields: the body may be left out, be empty, or be an empty object."""


class DeviceSchema(ma.Schema):
    device_id = ma.fields.String(data_key="deviceId", required=True)
    platform = ma.fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    token_suffix = ma.fields.String(
        data_key="tokenSuffix",
        required=True,
        metadata={"description": f"The token's last {TOKEN_SUFFIX_LENGTH} characters."},
    )
    created_at = Instant(data_key="createdAt", required=True)


class NotificationSchema(ma.Schema):
    notification_id = ma.fields.String(data_key="notificationId", required=True)
    kind = ma.fields.String(
        attribute="notification_kind", required=True, validate=validate.OneOf(KINDS)
    )
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)
    goal_id = ma.fields.String(
        data_key="goalId",
        required=True,
        allow_none=True,
        metadata={"description": "The goal it is about; null for none."},
    )
    created_at = Instant(data_key="createdAt", required=True)
    read_at = Instant(
        data_key="readAt",
        required=True,
        allow_none=True,
        metadata={"description": "When it was first marked read; null until then."},
    )


DevicePageSchema = page_schema(DeviceSchema, "DevicePage")
NotificationPageSchema = page_schema(NotificationSchema, "NotificationPage")
