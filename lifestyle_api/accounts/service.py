"""Cognito calls behind the `/auth` routes, and Cognito's errors mapped to API.md's statuses.

- Unknown user and wrong password are the same 401; resend-code and forgot-password succeed
  whether or not the account exists, so no answer tells whether an email is registered.
- Errors that mean "Cognito is down" (internal errors, unreachable endpoint) are left to
  the error envelope, which answers 503; a client sending too fast is a 429.
- Passwords, codes and tokens are never logged: nothing here logs request parameters, and
  the exceptions raised carry only fixed messages.

The `cognito-idp` client is the process's one (`lifestyle_api.aws`), built on first use.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, NamedTuple

from botocore.exceptions import BotoCoreError, ClientError

from .. import aws
from ..config import Settings
from ..exceptions import Conflict, Forbidden, InvalidInput, TooManyRequests, Unauthorized
from ..observability import logger
from ..profile import service as profile_service
from ..timeutil import utc_now

BAD_CREDENTIALS = "The email or password is not correct."
BAD_REFRESH_TOKEN = "The refresh token is not valid or has been revoked."
BAD_CODE = "The code is wrong or has expired; ask for a new one."
WEAK_PASSWORD = "The password does not meet the password policy; see details."
NOT_CONFIRMED = "Confirm the account with the code sent by email before signing in."
NOT_SIGNED_IN = "Send the access token to sign out with as 'Authorization: Bearer <token>'."

# Cognito error codes, by what they mean for the client.
UNKNOWN_OR_REFUSED = frozenset({"NotAuthorizedException", "UserNotFoundException"})
WRONG_CODE = frozenset({"CodeMismatchException", "ExpiredCodeException"})
TOO_FAST = frozenset(
    {"TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"}
)
# Answers about one account that resend-code and forgot-password keep to themselves.
ACCOUNT_SPECIFIC = frozenset(
    {
        "UserNotFoundException",
        "NotAuthorizedException",
        "InvalidParameterException",
        "LimitExceededException",
        "CodeDeliveryFailureException",
    }
)


class Registration(NamedTuple):
    user_id: str
    email: str
    confirmed: bool


_policies: dict[tuple[str, str | None, str], list[str]] = {}
_lock = threading.Lock()


def cognito_client(settings: Settings):
    """The process's `cognito-idp` client for the settings' region and endpoint."""
    return aws.client("cognito-idp", settings.aws_region, settings.aws_endpoint_url)


def error_code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def register(
    settings: Settings, email: str, password: str, name: str | None, *, now: datetime | None = None
) -> Registration:
    """Sign the user up, confirm them at once when `LOCAL_AUTO_CONFIRM` is on, and create
    their profile."""
    client = cognito_client(settings)
    attributes = [{"Name": "email", "Value": email}]
    if name:
        attributes.append({"Name": "name", "Value": name})
    try:
        result = client.sign_up(
            ClientId=settings.cognito_client_id,
            Username=email,
            Password=password,
            UserAttributes=attributes,
        )
    except ClientError as exc:
        if error_code(exc) == "UsernameExistsException":
            raise Conflict("An account with this email already exists.") from None
        _raise_common(exc, settings, password_field="password")
        raise
    confirmed = bool(result.get("UserConfirmed"))
    if settings.local_auto_confirm and not confirmed:
        client.admin_confirm_sign_up(UserPoolId=settings.cognito_user_pool_id, Username=email)
        confirmed = True
    user_id = result["UserSub"]
    now = now or utc_now()
    profile_service.create_profile(user_id, email=email, name=name, now=now)
    logger.info("Account registered", extra={"user_id": user_id, "confirmed": confirmed})
    return Registration(user_id=user_id, email=email, confirmed=confirmed)


def confirm(settings: Settings, email: str, code: str) -> None:
    try:
        cognito_client(settings).confirm_sign_up(
            ClientId=settings.cognito_client_id, Username=email, ConfirmationCode=code
        )
    except ClientError as exc:
        # An unknown or already confirmed account answers like a wrong code: nothing to learn.
        if error_code(exc) in WRONG_CODE | UNKNOWN_OR_REFUSED:
            raise InvalidInput(BAD_CODE, details={"code": [BAD_CODE]}) from None
        _raise_common(exc, settings)
        raise


def resend_code(settings: Settings, email: str) -> None:
    if settings.local_auto_confirm:
        return  # sign-ups are confirmed at once: there is no code to send
    try:
        cognito_client(settings).resend_confirmation_code(
            ClientId=settings.cognito_client_id, Username=email
        )
    except ClientError as exc:
        if error_code(exc) not in ACCOUNT_SPECIFIC:
            _raise_common(exc, settings)
            raise


def login(settings: Settings, email: str, password: str) -> dict[str, Any]:
    """Tokens for the email and password (USER_PASSWORD_AUTH)."""
    try:
        result = cognito_client(settings).initiate_auth(
            ClientId=settings.cognito_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except ClientError as exc:
        code = error_code(exc)
        if code in UNKNOWN_OR_REFUSED:
            raise Unauthorized(BAD_CREDENTIALS) from None
        if code == "UserNotConfirmedException":
            raise Forbidden(NOT_CONFIRMED) from None
        _raise_common(exc, settings)
        raise
    return _tokens(result)


def refresh(settings: Settings, refresh_token: str) -> dict[str, Any]:
    """New access and ID tokens for a refresh token (REFRESH_TOKEN_AUTH)."""
    try:
        result = cognito_client(settings).initiate_auth(
            ClientId=settings.cognito_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except ClientError as exc:
        if error_code(exc) in UNKNOWN_OR_REFUSED:
            raise Unauthorized(BAD_REFRESH_TOKEN) from None
        _raise_common(exc, settings)
        raise
    tokens = _tokens(result)
    tokens.pop("refresh_token", None)
    return tokens


def logout(settings: Settings, access_token: str | None) -> None:
    """Sign the user out everywhere: their refresh tokens stop working at once."""
    if not access_token:
        raise Unauthorized(NOT_SIGNED_IN)
    try:
        cognito_client(settings).global_sign_out(AccessToken=access_token)
    except ClientError as exc:
        if error_code(exc) in UNKNOWN_OR_REFUSED:
            return  # already signed out, or the user is gone: the outcome asked for
        _raise_common(exc, settings)
        raise


def forgot_password(settings: Settings, email: str) -> None:
    try:
        cognito_client(settings).forgot_password(
            ClientId=settings.cognito_client_id, Username=email
        )
    except ClientError as exc:
        if error_code(exc) not in ACCOUNT_SPECIFIC:
            _raise_common(exc, settings)
            raise


def reset_password(settings: Settings, email: str, code: str, new_password: str) -> None:
    try:
        cognito_client(settings).confirm_forgot_password(
            ClientId=settings.cognito_client_id,
            Username=email,
            ConfirmationCode=code,
            Password=new_password,
        )
    except ClientError as exc:
        if error_code(exc) in WRONG_CODE | UNKNOWN_OR_REFUSED:
            raise InvalidInput(BAD_CODE, details={"code": [BAD_CODE]}) from None
        _raise_common(exc, settings, password_field="newPassword")
        raise


def user_attributes(settings: Settings, access_token: str | None) -> dict[str, str]:
    """The user's Cognito attributes (`email`, `name`, …) read with their own access token;
    empty without a token or when Cognito cannot answer."""
    if not access_token:
        return {}
    try:
        result = cognito_client(settings).get_user(AccessToken=access_token)
    except (ClientError, BotoCoreError) as exc:
        logger.warning("Cognito GetUser failed", extra={"error_type": type(exc).__name__})
        return {}
    return {attr["Name"]: attr["Value"] for attr in result.get("UserAttributes", [])}


def delete_user(settings: Settings, username: str) -> bool:
    """Delete the Cognito user; a user who exists only as token claims is not an error.
    Returns whether a Cognito user was deleted."""
    if not settings.cognito_user_pool_id:
        return False
    try:
        cognito_client(settings).admin_delete_user(
            UserPoolId=settings.cognito_user_pool_id, Username=username
        )
    except ClientError as exc:
        if error_code(exc) == "UserNotFoundException":
            return False
        raise
    return True


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


def _raise_common(exc: ClientError, settings: Settings, *, password_field: str | None = None):
    """Raise what an error any Cognito call may return means; return if it means nothing
    here (the caller re-raises it for `errors.py`: 503 when Cognito is down, else 500)."""
    code = error_code(exc)
    if code in TOO_FAST:
        raise TooManyRequests("Too many attempts; wait a moment and try again.") from None
    if code == "InvalidPasswordException" and password_field:
        rules = password_policy(settings) or ["The password is too weak."]
        raise InvalidInput(WEAK_PASSWORD, details={password_field: rules}) from None


def _tokens(result: dict[str, Any]) -> dict[str, Any]:
    if "AuthenticationResult" not in result:
        # MFA or a forced password change: steps this API does not offer.
        raise Forbidden(
            f"This account needs a sign-in step the API does not support "
            f"({result.get('ChallengeName', 'challenge')})."
        )
    auth = result["AuthenticationResult"]
    return {
        "access_token": auth["AccessToken"],
        "id_token": auth["IdToken"],
        "refresh_token": auth.get("RefreshToken"),
        "expires_in": auth["ExpiresIn"],
        "token_type": auth.get("TokenType", "Bearer"),
    }
