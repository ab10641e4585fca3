"""Settings, read once from the environment (API.md "Operations" lists them).

`Settings.from_env(overrides)` is what `create_app` uses; tests pass overrides
instead of touching `os.environ`.

On Lambda (`AWS_LAMBDA_FUNCTION_NAME` is set) the settings fail closed: a setting the
function must not run without, or one that exists for local runs only, stops the init with
one log line naming it (`SettingsError`) rather than letting each container sign cursors
with a secret of its own or skip a token check.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from .records import Record

# Lambda sets these itself; Terraform must never set them on the function.
LAMBDA_PROVIDED = frozenset({"AWS_REGION"})
# Settings that exist for local development and are left unset on AWS.
LOCAL_ONLY = frozenset({"AWS_ENDPOINT_URL", "LOCAL_AUTO_CONFIRM"})

# Only for local runs and tests: a secret generated per process is fine there,
# because cursors are short-lived. On AWS, Terraform always provides one.
_LOCAL_CURSOR_SECRET = secrets.token_urlsafe(32)
ON_LAMBDA = "AWS_LAMBDA_FUNCTION_NAME"
MIN_CURSOR_SECRET_BYTES = 32


class SettingsError(RuntimeError):
    """The function cannot run with these settings; the message names the setting."""


class Settings(Record):
    """Every setting the app reads. Field names are the environment variables, lower-cased."""

    table_name: str = "lifestyle"
    aws_region: str = "us-east-1"
    aws_endpoint_url: str | None = None
    cors_origin: str = "*"
    cognito_user_pool_id: str = ""
    cognito_client_id: str = ""
    jwt_issuer: str = ""
    jwks_url: str = ""
    cursor_secret: str = _LOCAL_CURSOR_SECRET
    coach_provider: str = "rules"
    bedrock_model_id: str = "anthropic.claude-3-haiku-20240307-v1:0"
    log_level: str = "INFO"
    powertools_service_name: str = "lifestyle-api"
    powertools_metrics_namespace: str = "LifestyleApi"
    # The second pass of account deletions, on AWS: the EventBridge Scheduler group the
    # deletion creates its one-off schedule in, the role the scheduler invokes with, and the
    # function it invokes (this one). Unset locally: `purge-deleted` runs the passes.
    purge_schedule_group: str = ""
    purge_scheduler_role_arn: str = ""
    purge_function_arn: str = ""
    # Amazon SNS mobile push: the platform applications (APNs, FCM) devices are registered
    # with; empty means no push for that platform (notifications still reach the inbox).
    sns_ios_platform_application_arn: str = ""
    sns_android_platform_application_arn: str = ""
    # Local development only: sign-ups are confirmed without an emailed code.
    local_auto_confirm: bool = False

    @classmethod
    def env_names(cls) -> list[str]:
        """The environment variables the app reads."""
        return [name.upper() for name in cls._fields]

    @classmethod
    def from_env(
        cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls._fields:
            raw = environ.get(name.upper())
            if raw is None or raw == "":
                continue
            flag = isinstance(cls._field_defaults.get(name), bool)  # flags default to a bool
            values[name] = _parse_bool(raw) if flag else raw
        settings = cls(**values)
        given = set(values)
        if overrides:
            settings = settings._replace(**{k.lower(): v for k, v in overrides.items()})
            given |= {k.lower() for k, v in overrides.items() if v}
        settings = settings.with_derived_jwt()
        if environ.get(ON_LAMBDA):
            settings.refuse_unsafe_on_lambda(given)
        return settings

    def refuse_unsafe_on_lambda(self, given: set[str]) -> None:
        """Log one line naming the first setting the function cannot run with, and raise
        `SettingsError`; the values themselves are never logged."""
        problem = _lambda_problem(self, given)
        if problem is None:
            return
        setting, message = problem
        from .observability import logger  # deferred: settings are read before logging

        logger.error(message, extra={"setting": setting})
        raise SettingsError(message)

    def with_derived_jwt(self) -> Settings:
        """Fill `JWT_ISSUER` and `JWKS_URL` from the user pool when they are unset."""
        if not self.cognito_user_pool_id:
            return self
        issuer = self.jwt_issuer or (
            f"https://cognito-idp.{self.aws_region}.amazonaws.com/{self.cognito_user_pool_id}"
        )
        jwks_url = self.jwks_url or f"{issuer}/.well-known/jwks.json"
        return self._replace(jwt_issuer=issuer, jwks_url=jwks_url)


def _lambda_problem(settings: Settings, given: set[str]) -> tuple[str, str] | None:
    secret = settings.cursor_secret if "cursor_secret" in given else ""
    if len(secret.encode()) < MIN_CURSOR_SECRET_BYTES:
        return "CURSOR_SECRET", (
            f"CURSOR_SECRET is missing or shorter than {MIN_CURSOR_SECRET_BYTES} bytes; "
            "every container must sign cursors with the same secret."
        )
    for name in ("cognito_user_pool_id", "cognito_client_id"):
        if not getattr(settings, name):
            return name.upper(), f"{name.upper()} is missing; tokens cannot be checked without it."
    for name in ("purge_schedule_group", "purge_scheduler_role_arn", "purge_function_arn"):
        if not getattr(settings, name):
            return name.upper(), (
                f"{name.upper()} is missing; account deletions could not schedule their "
                "second pass."
            )
    if settings.local_auto_confirm:
        return "LOCAL_AUTO_CONFIRM", (
            "LOCAL_AUTO_CONFIRM=true is for local runs only; remove it from the function."
        )
    return None


def _parse_bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}
