"""Settings from the environment."""

from __future__ import annotations

import logging

import pytest

from lifestyle_api import config
from lifestyle_api.config import Settings


def test_reads_the_environment_and_derives_jwt_settings():
    settings = Settings.from_env(
        environ={
            "TABLE_NAME": "prod-table",
            "AWS_REGION": "eu-west-1",
            "COGNITO_USER_POOL_ID": "eu-west-1_abc",
            "LOCAL_AUTO_CONFIRM": "true",
        }
    )
    assert settings.table_name == "prod-table"
    assert settings.jwt_issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
    assert settings.jwks_url == settings.jwt_issuer + "/.well-known/jwks.json"
    assert settings.local_auto_confirm is True


def test_overrides_win_and_explicit_issuer_is_kept():
    settings = Settings.from_env(
        {"JWT_ISSUER": "http://localhost/pool", "COGNITO_USER_POOL_ID": "p"},
        environ={"TABLE_NAME": "from-env"},
    )
    assert settings.table_name == "from-env"
    assert settings.jwt_issuer == "http://localhost/pool"
    assert settings.jwks_url == "http://localhost/pool/.well-known/jwks.json"


def test_env_names():
    assert "CURSOR_SECRET" in Settings.env_names()
    assert "POWERTOOLS_METRICS_NAMESPACE" in Settings.env_names()


# On Lambda the settings fail closed (API.md "Operations").

LAMBDA_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "lifestyle-api-prod",
    "AWS_REGION": "eu-west-1",
    "TABLE_NAME": "lifestyle-prod",
    "COGNITO_USER_POOL_ID": "eu-west-1_abc",
    "COGNITO_CLIENT_ID": "client-123",
    "CURSOR_SECRET": "s" * 48,
    "PURGE_SCHEDULE_GROUP": "lifestyle-api-prod-erasure",
    "PURGE_SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/erasure-scheduler",
    "PURGE_FUNCTION_ARN": "arn:aws:lambda:eu-west-1:123456789012:function:lifestyle-api-prod",
}


def test_a_complete_lambda_environment_starts():
    settings = Settings.from_env(environ=LAMBDA_ENV)
    assert settings.cursor_secret == "s" * 48
    assert settings.local_auto_confirm is False


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ({"CURSOR_SECRET": None}, "CURSOR_SECRET"),
        ({"CURSOR_SECRET": ""}, "CURSOR_SECRET"),
        ({"CURSOR_SECRET": "x" * 31}, "CURSOR_SECRET"),
        ({"CURSOR_SECRET": "é" * 15}, "CURSOR_SECRET"),  # 30 bytes in 15 characters
        ({"COGNITO_USER_POOL_ID": None}, "COGNITO_USER_POOL_ID"),
        ({"COGNITO_CLIENT_ID": None}, "COGNITO_CLIENT_ID"),
        ({"COGNITO_CLIENT_ID": ""}, "COGNITO_CLIENT_ID"),
        ({"LOCAL_AUTO_CONFIRM": "true"}, "LOCAL_AUTO_CONFIRM"),
        ({"PURGE_SCHEDULE_GROUP": None}, "PURGE_SCHEDULE_GROUP"),
        ({"PURGE_SCHEDULER_ROLE_ARN": None}, "PURGE_SCHEDULER_ROLE_ARN"),
        ({"PURGE_FUNCTION_ARN": None}, "PURGE_FUNCTION_ARN"),
    ],
)
def test_on_lambda_a_missing_or_unsafe_setting_stops_the_init(caplog, change, setting):
    environ = {k: v for k, v in {**LAMBDA_ENV, **change}.items() if v is not None}
    with (
        caplog.at_level(logging.ERROR, logger="lifestyle-api"),
        pytest.raises(config.SettingsError, match=setting),
    ):
        Settings.from_env(environ=environ)
    lines = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(lines) == 1
    assert setting in lines[0].getMessage()
    assert "s" * 32 not in lines[0].getMessage()  # never the secret itself


def test_overrides_count_as_given_on_lambda():
    environ = {k: v for k, v in LAMBDA_ENV.items() if k != "CURSOR_SECRET"}
    settings = Settings.from_env({"CURSOR_SECRET": "o" * 32}, environ=environ)
    assert settings.cursor_secret == "o" * 32


def test_off_lambda_the_local_defaults_stand():
    settings = Settings.from_env(environ={"LOCAL_AUTO_CONFIRM": "true"})
    assert len(settings.cursor_secret.encode()) >= 32
    assert settings.local_auto_confirm is True
