"""The `cognito-idp` client, and what every error Cognito can answer means for each call the
app makes (API.md "Public routes": a documented 4xx, 429 or 503, never a 500). No Flask.

`CALLS` names each call the app makes, the Cognito operation behind it and the meaning of
that operation's errors; `COMMON_ERRORS` holds what an error means wherever a call does not
say otherwise. A test walks botocore's service model and fails when an operation lists an
error neither names, so a new error is mapped on purpose, not found in production. An error
code unknown even to the model (one the service added before the SDK) is a 503, logged.

Handlers return the service error to raise, or `None` when the error is an answer the route
keeps to itself (resend-code and forgot-password say nothing about which accounts exist; a
sign-out of a user already gone is done). Only error codes are logged, never parameters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import aws
from ..config import Settings
from ..exceptions import (
    Conflict,
    Forbidden,
    InvalidInput,
    ServiceError,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
)
from ..observability import logger
from ..records import Record

BAD_CREDENTIALS = "The email or password is not correct."
BAD_REFRESH_TOKEN = "The refresh token is not valid or has been revoked."
BAD_CODE = "The code is wrong or has expired; ask for a new one."
WEAK_PASSWORD = "The password does not meet the password policy; see details."
NOT_CONFIRMED = "Confirm the account with the code sent by email before signing in."
RESET_REQUIRED = "This account needs a new password: ask for a code with /auth/forgot-password."
REFUSED = "The request was refused as invalid; check the fields and try again."
TOO_FAST = "Too many attempts; wait a moment and try again."
EMAIL_IN_USE = "Another account already uses this email."
PASSWORD_REUSED = "Choose a password you have not used recently."
NOT_SIGNED_IN = "Send the access token to sign out with as 'Authorization: Bearer <token>'."

Params = Mapping[str, Any]
Handler = Callable[[Settings, Params], ServiceError | None]

_policies: dict[tuple[str, str | None, str], list[str]] = {}
_lock = threading.Lock()


def cognito_client(settings: Settings):
    """The process's `cognito-idp` client for the settings' region and endpoint."""
    return aws.client("cognito-idp", settings.aws_region, settings.aws_endpoint_url)


def error_code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


# ---- what an error means ----------------------------------------------------------------


def _answer(error: Callable[[], ServiceError]) -> Handler:
    return lambda _settings, _params: error()


def _silent(_settings: Settings, _params: Params) -> None:
    return None


def _unavailable(_settings: Settings, _params: Params) -> ServiceError:
    # Cognito failing, or the user pool or app client set up wrongly: nothing the client
    # can change, so "try again later"; logged as an error for whoever runs the pool.
    return ServiceUnavailable()


def _weak(field: str) -> Handler:
    def weak(settings: Settings, _params: Params) -> ServiceError:
        rules = password_policy(settings) or ["The password is too weak."]
        return InvalidInput(WEAK_PASSWORD, details={field: rules})

    return weak


def _bad_code() -> ServiceError:
    return InvalidInput(BAD_CODE, details={"code": [BAD_CODE]})


def _undo_sign_up(settings: Settings, params: Params) -> ServiceError:
    """Cognito created the account but could not send its code: remove it, so that the
    client's retry signs up afresh instead of finding the email taken."""
    try:
        cognito_client(settings).admin_delete_user(
            UserPoolId=settings.cognito_user_pool_id, Username=params["Username"]
        )
    except (ClientError, BotoCoreError) as exc:
        logger.error("Unconfirmed account not removed", extra={"error_type": type(exc).__name__})
    return ServiceUnavailable("The confirmation email could not be sent; try again shortly.")


_too_fast = _answer(lambda: TooManyRequests(TOO_FAST))
_refused = _answer(lambda: InvalidInput(REFUSED))

# Wherever a call does not say otherwise.
COMMON_ERRORS: dict[str, Handler] = {
    "TooManyRequestsException": _too_fast,
    "LimitExceededException": _too_fast,
    "TooManyFailedAttemptsException": _too_fast,
    "InvalidParameterException": _refused,
    "UserLambdaValidationException": _refused,
    **dict.fromkeys(
        (
            "InternalErrorException",
            "ForbiddenException",
            "ResourceNotFoundException",
            "NotAuthorizedException",
            "OperationNotEnabledException",
            "FeatureUnavailableInTierException",
            "UnsupportedOperationException",
            "InvalidUserPoolConfigurationException",
            "InvalidEmailRoleAccessPolicyException",
            "InvalidSmsRoleAccessPolicyException",
            "InvalidSmsRoleTrustRelationshipException",
            "InvalidLambdaResponseException",
            "UnexpectedLambdaException",
            "CodeDeliveryFailureException",
            "UserPoolTaggingException",
        ),
        _unavailable,
    ),
}
# resend-code and forgot-password answer 202 whatever these say about the account.
_ACCOUNT_SPECIFIC = dict.fromkeys(
    (
        "UserNotFoundException",
        "NotAuthorizedException",
        "InvalidParameterException",
        "LimitExceededException",
        "CodeDeliveryFailureException",
        "UserLambdaValidationException",
    ),
    _silent,
)


def _sign_in_errors(refused: str) -> dict[str, Handler]:
    """What `InitiateAuth`'s errors mean: `refused` (a 401) for what was sent, whether the
    user is unknown or the secret wrong, so the answer never tells whether an email has an
    account; a 403 for an account that must do something first."""
    return {
        **dict.fromkeys(
            ("NotAuthorizedException", "UserNotFoundException"),
            _answer(lambda: Unauthorized(refused)),
        ),
        "UserNotConfirmedException": _answer(lambda: Forbidden(NOT_CONFIRMED)),
        "PasswordResetRequiredException": _answer(lambda: Forbidden(RESET_REQUIRED)),
    }


class CognitoCall(Record):
    """One call the app makes: the Cognito operation and what its errors mean beyond
    `COMMON_ERRORS`; `other` answers every error not named (else `COMMON_ERRORS` does)."""

    operation: str
    errors: dict[str, Handler]
    other: Handler | None = None


CALLS: dict[str, CognitoCall] = {
    "register": CognitoCall(
        "SignUp",
        {
            "UsernameExistsException": _answer(
                lambda: Conflict("An account with this email already exists.")
            ),
            "InvalidPasswordException": _weak("password"),
            "CodeDeliveryFailureException": _undo_sign_up,
        },
    ),
    "confirm": CognitoCall(
        "ConfirmSignUp",
        {
            # An unknown or already confirmed account answers like a wrong code.
            **dict.fromkeys(
                (
                    "CodeMismatchException",
                    "ExpiredCodeException",
                    "UserNotFoundException",
                    "NotAuthorizedException",
                ),
                _answer(_bad_code),
            ),
            "AliasExistsException": _answer(lambda: Conflict(EMAIL_IN_USE)),
        },
    ),
    "resend_code": CognitoCall("ResendConfirmationCode", _ACCOUNT_SPECIFIC),
    "login": CognitoCall("InitiateAuth", _sign_in_errors(BAD_CREDENTIALS)),
    "refresh": CognitoCall("InitiateAuth", _sign_in_errors(BAD_REFRESH_TOKEN)),
    "logout": CognitoCall(
        "GlobalSignOut",
        {
            # Signed out already, or a user who can no longer sign in: the outcome asked for.
            **dict.fromkeys(
                (
                    "NotAuthorizedException",
                    "UserNotFoundException",
                    "UserNotConfirmedException",
                    "PasswordResetRequiredException",
                ),
                _silent,
            ),
            # The only parameter is the caller's own access token.
            "InvalidParameterException": _answer(lambda: Unauthorized(NOT_SIGNED_IN)),
        },
    ),
    "forgot_password": CognitoCall("ForgotPassword", _ACCOUNT_SPECIFIC),
    "reset_password": CognitoCall(
        "ConfirmForgotPassword",
        {
            # An unknown, unconfirmed or disabled account answers like a wrong code, so the
            # answer never tells whether an email has an account. The local emulator (moto)
            # answers an unknown user with ResourceNotFoundException.
            **dict.fromkeys(
                (
                    "CodeMismatchException",
                    "ExpiredCodeException",
                    "UserNotFoundException",
                    "UserNotConfirmedException",
                    "NotAuthorizedException",
                    "ResourceNotFoundException",
                ),
                _answer(_bad_code),
            ),
            "InvalidPasswordException": _weak("newPassword"),
            "PasswordHistoryPolicyViolationException": _answer(
                lambda: InvalidInput(PASSWORD_REUSED, details={"newPassword": [PASSWORD_REUSED]})
            ),
        },
    ),
    # Account deletion: a user who exists only as token claims is not an error; any other
    # failure leaves a deletion to finish with the same request (503).
    "delete_user": CognitoCall("AdminDeleteUser", {"UserNotFoundException": _silent}, _unavailable),
    # Local runs only (LOCAL_AUTO_CONFIRM).
    "auto_confirm": CognitoCall("AdminConfirmSignUp", {}, _unavailable),
}
# Calls whose every failure falls back to a default answer (the profile's email, the
# password policy's generic wording), so no error of theirs reaches the client.
FALLBACK_CALLS = {"user_attributes": "GetUser", "password_policy": "DescribeUserPool"}


def handler_for(name: str, code: str) -> Handler:
    """What `code` means for the call `name`; a code nobody knows is a 503."""
    spec = CALLS[name]
    return spec.errors.get(code) or spec.other or COMMON_ERRORS.get(code) or _unavailable


@contextmanager
def mapped_errors(settings: Settings, name: str, **params: Any) -> Iterator[None]:
    """Around the Cognito call `name` (a key of `CALLS`): its error becomes the service
    error it means, or is swallowed when it is an answer the route keeps to itself (the
    block then simply ends). `params` are what a handler may need (`Username`). Connection
    failures are left to the error envelope (503).

        with mapped_errors(settings, "login"):
            return tokens(client.initiate_auth(...))
    """
    try:
        yield
    except ClientError as exc:
        code = error_code(exc)
        spec = CALLS[name]
        handler = handler_for(name, code)
        if handler is _unavailable or code not in spec.errors.keys() | COMMON_ERRORS.keys():
            logger.error("Cognito refused a call", extra={"call": name, "error_code": code})
        error = handler(settings, params)
        if error is not None:
            raise error from None


def password_policy(settings: Settings) -> list[str]:
    """The pool's password rules in words, read once per process; empty if unreadable."""
    key = (settings.aws_region, settings.aws_endpoint_url, settings.cognito_user_pool_id)
    if key in _policies:
        return _policies[key]
    try:
        pool = cognito_client(settings).describe_user_pool(
            UserPoolId=settings.cognito_user_pool_id
        )["UserPool"]
    except (ClientError, BotoCoreError) as exc:
        logger.warning("Password policy unreadable", extra={"error_type": type(exc).__name__})
        return []
    rules = describe_policy(pool.get("Policies", {}).get("PasswordPolicy", {}))
    with _lock:
        _policies[key] = rules
    return rules


def describe_policy(policy: dict[str, Any]) -> list[str]:
    """Cognito's `PasswordPolicy` as the sentences a sign-up form shows."""
    rules = [f"At least {policy.get('MinimumLength', 8)} characters."]
    for flag, rule in (
        ("RequireUppercase", "At least one uppercase letter."),
        ("RequireLowercase", "At least one lowercase letter."),
        ("RequireNumbers", "At least one number."),
        ("RequireSymbols", "At least one symbol."),
    ):
        if policy.get(flag):
            rules.append(rule)
    return rules
