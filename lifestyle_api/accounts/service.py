"""Cognito calls behind the `/auth` routes (API.md "Public routes"). No Flask.

- Unknown user and wrong password are the same 401; resend-code and forgot-password succeed
  whether or not the account exists, so no answer tells whether an email is registered.
- Every error Cognito can answer is a documented 4xx, 429 or 503 (`cognito.CALLS`).
- The abuse limits (`limits`) are counted before Cognito is asked, the same for every email.
- Passwords, codes and tokens are never logged: nothing here logs request parameters, and
  the exceptions raised carry only fixed messages.

The `cognito-idp` client is the process's one (`lifestyle_api.aws`), built on first use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from ..config import Settings
from ..exceptions import Forbidden, Unauthorized
from ..observability import logger
from ..profile import service as profile_service
from ..records import Record
from ..timeutil import utc_now
from . import limits
from .cognito import NOT_SIGNED_IN, cognito_client, mapped_errors, password_policy

__all__ = ["cognito_client", "password_policy"]


class Registration(Record):
    user_id: str
    email: str
    confirmed: bool


def register(
    settings: Settings, email: str, password: str, name: str | None, *, now: datetime | None = None
) -> Registration:
    """Sign the user up, confirm them at once when `LOCAL_AUTO_CONFIRM` is on, and create
    their profile. Everything Cognito checks has been checked by the schema, so Cognito
    either creates the account or refuses it whole."""
    now = now or utc_now()
    limits.take(limits.REGISTER, settings, email, now=now)
    client = cognito_client(settings)
    attributes = [{"Name": "email", "Value": email}]
    if name:
        attributes.append({"Name": "name", "Value": name})
    with mapped_errors(settings, "register", Username=email):
        result = client.sign_up(
            ClientId=settings.cognito_client_id,
            Username=email,
            Password=password,
            UserAttributes=attributes,
        )
    confirmed = bool(result.get("UserConfirmed"))
    if settings.local_auto_confirm and not confirmed:
        with mapped_errors(settings, "auto_confirm"):
            client.admin_confirm_sign_up(UserPoolId=settings.cognito_user_pool_id, Username=email)
        confirmed = True
    user_id = result["UserSub"]
    try:
        profile_service.create_profile(user_id, email=email, name=name, now=now)
    except PynamoDBException as exc:
        # The account exists: failing now would make the client's retry a 409. The profile
        # is created on the first GET /me instead, from the account's Cognito attributes.
        logger.warning("Profile not created at sign-up", extra={"error_type": type(exc).__name__})
    logger.info("Account registered", extra={"user_id": user_id, "confirmed": confirmed})
    return Registration(user_id=user_id, email=email, confirmed=confirmed)


def confirm(settings: Settings, email: str, code: str) -> None:
    with mapped_errors(settings, "confirm"):
        cognito_client(settings).confirm_sign_up(
            ClientId=settings.cognito_client_id, Username=email, ConfirmationCode=code
        )


def resend_code(settings: Settings, email: str) -> None:
    limits.take(limits.RESEND_CODE, settings, email)
    if settings.local_auto_confirm:
        return  # sign-ups are confirmed at once: there is no code to send
    with mapped_errors(settings, "resend_code"):
        cognito_client(settings).resend_confirmation_code(
            ClientId=settings.cognito_client_id, Username=email
        )


def login(settings: Settings, email: str, password: str) -> dict[str, Any]:
    """Tokens for the email and password (USER_PASSWORD_AUTH); a failed attempt counts
    towards the email's limit, whether or not the account exists."""
    limits.check(limits.FAILED_LOGINS, settings, email)
    try:
        with mapped_errors(settings, "login"):
            result = cognito_client(settings).initiate_auth(
                ClientId=settings.cognito_client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
    except Unauthorized:
        limits.record(limits.FAILED_LOGINS, settings, email)
        raise
    return _tokens(result)


def refresh(settings: Settings, refresh_token: str) -> dict[str, Any]:
    """New access and ID tokens for a refresh token (REFRESH_TOKEN_AUTH)."""
    with mapped_errors(settings, "refresh"):
        result = cognito_client(settings).initiate_auth(
            ClientId=settings.cognito_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    tokens = _tokens(result)
    tokens.pop("refresh_token", None)
    return tokens


def logout(settings: Settings, access_token: str | None) -> None:
    """Sign the user out everywhere: their refresh tokens stop working at once."""
    if not access_token:
        raise Unauthorized(NOT_SIGNED_IN)
    with mapped_errors(settings, "logout"):
        cognito_client(settings).global_sign_out(AccessToken=access_token)


def forgot_password(settings: Settings, email: str) -> None:
    limits.take(limits.FORGOT_PASSWORD, settings, email)
    with mapped_errors(settings, "forgot_password"):
        cognito_client(settings).forgot_password(
            ClientId=settings.cognito_client_id, Username=email
        )


def reset_password(settings: Settings, email: str, code: str, new_password: str) -> None:
    with mapped_errors(settings, "reset_password"):
        cognito_client(settings).confirm_forgot_password(
            ClientId=settings.cognito_client_id,
            Username=email,
            ConfirmationCode=code,
            Password=new_password,
        )


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
    Returns whether a Cognito user was deleted; any failure is a 503 (`cognito.CALLS`)."""
    if not settings.cognito_user_pool_id:
        return False
    with mapped_errors(settings, "delete_user"):
        cognito_client(settings).admin_delete_user(
            UserPoolId=settings.cognito_user_pool_id, Username=username
        )
        return True
    return False  # the error said there was no such user


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
