"""Shapes of the account routes: `/auth` (emails are trimmed and lower-cased so one address
is one account whatever its spelling) and the export page, whose items have the shapes of
their own features' read schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..activities.schemas import ActivitySchema
from ..fields import Instant, StrictSchema
from ..goals.schemas import CheckInSchema, GoalSchema
from ..meals.schemas import MealSchema
from ..metrics.schemas import MetricExportSchema
from ..profile.schemas import ProfileSchema

# The email is the Cognito username, which Cognito takes up to 128 characters; a longer one
# would be refused there with an error that means nothing to the client.
EMAIL_MAX = 128
PASSWORD_MAX = 256
CODE_MAX = 64
NAME_MAX = 120
TOKEN_MAX = 8192


class Email(ma.fields.Email):
    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip().lower()


def _email() -> Email:
    return Email(required=True, validate=validate.Length(max=EMAIL_MAX))


def _password(data_key: str | None = None) -> ma.fields.String:
    return ma.fields.String(
        data_key=data_key,
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=PASSWORD_MAX),
        metadata={"description": "Checked against the user pool's password policy."},
    )


def _code() -> ma.fields.String:
    return ma.fields.String(
        required=True,
        load_only=True,
        validate=[
            validate.Length(min=1, max=CODE_MAX),
            # Cognito refuses a code with white space as an invalid parameter.
            validate.Regexp(r"^\S+$", error="The code has no spaces."),
        ],
        metadata={"description": "The code Cognito sent by email."},
    )


class RegisterSchema(StrictSchema):
    email = _email()
    password = _password()
    name = ma.fields.String(validate=validate.Length(min=1, max=NAME_MAX))


class RegistrationSchema(ma.Schema):
    user_id = ma.fields.String(data_key="userId", required=True)
    email = ma.fields.String(required=True)
    confirmed = ma.fields.Boolean(
        required=True, metadata={"description": "False until the emailed code is confirmed."}
    )


class ConfirmSchema(StrictSchema):
    email = _email()
    code = _code()


class EmailSchema(StrictSchema):
    email = _email()


class LoginSchema(StrictSchema):
    email = _email()
    password = _password()


class RefreshSchema(StrictSchema):
    refresh_token = ma.fields.String(
        data_key="refreshToken",
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=TOKEN_MAX),
    )


class ResetPasswordSchema(StrictSchema):
    email = _email()
    code = _code()
    new_password = _password("newPassword")


class TokensSchema(ma.Schema):
    access_token = ma.fields.String(data_key="accessToken", required=True)
    id_token = ma.fields.String(data_key="idToken", required=True)
    refresh_token = ma.fields.String(data_key="refreshToken", required=True)
    expires_in = ma.fields.Integer(
        data_key="expiresIn", required=True, metadata={"description": "Seconds."}
    )
    token_type = ma.fields.String(data_key="tokenType", required=True)


class RefreshedTokensSchema(TokensSchema):
    class Meta:
        exclude = ("refresh_token",)


class AcceptedSchema(ma.Schema):
    message = ma.fields.String(required=True)


EXPORT_CURSOR_MAX = 2048


class ExportArgs(StrictSchema):
    cursor = ma.fields.String(
        validate=validate.Length(min=1, max=EXPORT_CURSOR_MAX),
        metadata={"description": "`nextCursor` of the previous page; opaque."},
    )


class ExportPageSchema(ma.Schema):
    """One page of the export: at most 1,000 items or 4 MB, grouped by kind. Each item has
    the shape its own feature answers with (metrics in their canonical unit)."""

    profile = ma.fields.Nested(ProfileSchema, allow_none=True, required=True)
    goals = ma.fields.List(ma.fields.Nested(GoalSchema), required=True)
    check_ins = ma.fields.List(ma.fields.Nested(CheckInSchema), data_key="checkIns", required=True)
    activities = ma.fields.List(ma.fields.Nested(ActivitySchema), required=True)
    meals = ma.fields.List(ma.fields.Nested(MealSchema), required=True)
    metrics = ma.fields.List(ma.fields.Nested(MetricExportSchema), required=True)
    exported_at = Instant(data_key="exportedAt", required=True)
    next_cursor = ma.fields.String(
        data_key="nextCursor",
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `cursor` for the next page; null at the end."},
    )
