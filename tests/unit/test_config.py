"""Settings from the environment."""

from __future__ import annotations

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
