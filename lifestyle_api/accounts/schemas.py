"""Shapes of the account routes: `/auth` (emails are trimmed and lower-cased so one address
is one account whatever its spelling) and the export page, whose items have the shapes of
their own features' read schemas.

Everything Cognito checks before it acts is checked here first, so that Cognito never
refuses a request half way (an account created, then an error): its limits and patterns for
a username, a password, a code and an attribute value are the `cognito-idp` service model's
(a test compares them).
"""

from __future__ import annotations

import unicodedata

import marshmallow as ma
from marshmallow import validate

from ..activities.schemas import ActivitySchema
from ..base_schemas import ResponseSchema, StrictSchema
from ..fields import Instant, Text
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
# Cognito's patterns (`PasswordType`, `ConfirmationCodeType`): no white space anywhere.
PASSWORD_PATTERN = r"\S+"
CODE_PATTERN = r"\S+"
# Cognito's `UsernameType` is `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`: letters, marks, symbols,
# numbers and punctuation, by their Unicode general category.
USERNAME_CATEGORIES = frozenset("LMSNP")


class Email(Text):
    """An email address, trimmed and lower-cased: it is the Cognito username."""

    default_error_messages = {"invalid": "Not a valid email address."}

    def __init__(self, **kwargs) -> None:
        kwargs["metadata"] = {"format": "email", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)
        self.validators.insert(0, validate.Email(error=self.error_messages["invalid"]))
        self.validators.append(self._cognito_username)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip().lower()

    def _cognito_username(self, value: str) -> None:
        if any(unicodedata.category(char)[0] not in USERNAME_CATEGORIES for char in value):
            raise self.make_error("invalid")


def _email() -> Email:
    return Email(required=True, validate=validate.Length(max=EMAIL_MAX))


def _password(data_key: str | None = None, *, new: bool = False) -> Text:
    """A password; a new one also as Cognito's `PasswordType` takes it (no white space)."""
    return Text(
        data_key=data_key,
        required=True,
        load_only=True,
        pattern=PASSWORD_PATTERN if new else None,
        validate=validate.Length(min=1, max=PASSWORD_MAX),
        error_messages={"no_match": "A password has no spaces or line breaks."},
        metadata={"description": "Checked against the user pool's password policy."},
    )


def _code() -> Text:
    return Text(
        required=True,
        load_only=True,
        pattern=CODE_PATTERN,
        validate=validate.Length(min=1, max=CODE_MAX),
        error_messages={"no_match": "The code has no spaces or line breaks."},
        metadata={"description": "The code Cognito sent by email."},
    )


class RegisterSchema(StrictSchema):
    email = _email()
    password = _password(new=True)
    name = Text(validate=validate.Length(min=1, max=NAME_MAX))


class RegistrationSchema(ResponseSchema):
    user_id = ma.fields.String(data_key="userId")
    email = ma.fields.String()
    confirmed = ma.fields.Boolean(
        metadata={"description": "False until the emailed code is confirmed."}
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
    refresh_token = Text(
        data_key="refreshToken",
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=TOKEN_MAX),
    )


class ResetPasswordSchema(StrictSchema):
    email = _email()
    code = _code()
    new_password = _password("newPassword", new=True)


class TokensSchema(ResponseSchema):
    access_token = ma.fields.String(data_key="accessToken")
    id_token = ma.fields.String(data_key="idToken")
    refresh_token = ma.fields.String(data_key="refreshToken")
    expires_in = ma.fields.Integer(data_key="expiresIn", metadata={"description": "Seconds."})
    token_type = ma.fields.String(data_key="tokenType")


class RefreshedTokensSchema(TokensSchema):
    class Meta:
        exclude = ("refresh_token",)


class AcceptedSchema(ResponseSchema):
    message = ma.fields.String()


EXPORT_CURSOR_MAX = 2048


class ExportArgs(StrictSchema):
    cursor = Text(
        validate=validate.Length(min=1, max=EXPORT_CURSOR_MAX),
        metadata={"description": "`nextCursor` of the previous page; opaque."},
    )


class ExportPageSchema(ResponseSchema):
    """One page of the export: at most 1,000 items or 4 MB, grouped by kind. Each item has
    the shape its own feature answers with (metrics in their canonical unit)."""

    profile = ma.fields.Nested(ProfileSchema, allow_none=True)
    goals = ma.fields.List(ma.fields.Nested(GoalSchema))
    check_ins = ma.fields.List(ma.fields.Nested(CheckInSchema), data_key="checkIns")
    activities = ma.fields.List(ma.fields.Nested(ActivitySchema))
    meals = ma.fields.List(ma.fields.Nested(MealSchema))
    metrics = ma.fields.List(ma.fields.Nested(MetricExportSchema))
    exported_at = Instant(data_key="exportedAt")
    next_cursor = ma.fields.String(
        data_key="nextCursor",
        allow_none=True,
        metadata={"description": "Pass as `cursor` for the next page; null at the end."},
    )
