"""The Lambda layer: requests as AWS sends them, through `wsgi.handler`."""

from __future__ import annotations

import importlib

import pytest

from lifestyle_api.db.table import create_table
from tests.conftest import TEST_SETTINGS
from tests.support.events import FakeLambdaContext
from tests.support.identity import JwksServer, SigningKey

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool"


@pytest.fixture(scope="session")
def signing_key():
    return SigningKey()


@pytest.fixture(scope="session")
def jwks_server(signing_key):
    with JwksServer([signing_key]) as server:
        yield server


@pytest.fixture
def lambda_handler(aws, jwks_server, monkeypatch):
    """`wsgi.handler` as the Lambda runtime imports it, configured from the environment."""
    env = {**TEST_SETTINGS, "JWT_ISSUER": ISSUER, "JWKS_URL": jwks_server.jwks_url}
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    import wsgi

    wsgi = importlib.reload(wsgi)
    create_table(wait=False)

    def invoke(event):
        return wsgi.handler(event, FakeLambdaContext())

    return invoke


@pytest.fixture
def bearer(signing_key):
    """`bearer("sub", **claims)`: an Authorization header with a token the app accepts."""

    def build(sub: str = "alb-user", **claims) -> dict[str, str]:
        return {"authorization": f"Bearer {signing_key.token(ISSUER, sub=sub, **claims)}"}

    return build
