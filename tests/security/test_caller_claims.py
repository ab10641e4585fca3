"""Claims are checked before they are trusted (API.md "Operations"; DESIGN.md "Who is
calling"): the gateway authorizer's claims like a bearer token's (`token_use`, `client_id`,
issuer), and neither is accepted when the app knows no client id to compare with."""

from __future__ import annotations

import pytest

from tests.support.identity import TEST_CLIENT_ID, JwksServer, SigningKey, authorizer_environ

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool"


@pytest.fixture(scope="module")
def signing_key():
    return SigningKey()


@pytest.fixture(scope="module")
def jwks(signing_key):
    with JwksServer([signing_key]) as server:
        yield server


@pytest.fixture
def settings_overrides(jwks):
    return {"JWT_ISSUER": ISSUER, "JWKS_URL": jwks.jwks_url}


def claims_client(app, **claims):
    client = app.test_client()
    environ = authorizer_environ("carol-sub", **{"iss": ISSUER, **claims})
    jwt_claims = environ["apig_wsgi.request_context"]["authorizer"]["jwt"]["claims"]
    for name in [name for name, value in claims.items() if value is None]:
        del jwt_claims[name]  # a claim the token does not carry
    client.environ_base.update(environ)
    return client


def test_claims_of_an_access_token_for_this_client_are_trusted(app):
    assert claims_client(app).get("/me").status_code == 200


@pytest.mark.parametrize(
    "claims",
    [
        {"token_use": None},
        {"token_use": "id"},
        {"client_id": None},
        {"client_id": "another-client"},
        {"iss": None},
        {"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"},
    ],
    ids=str,
)
def test_authorizer_claims_are_checked_like_a_bearer_tokens(app, claims):
    response = claims_client(app, **claims).get("/me")
    assert response.status_code == 401, response.get_json()
    assert response.get_json()["error"] == "Unauthorized"


def test_without_a_client_id_no_claims_are_trusted(app):
    settings = app.extensions["lifestyle_api.settings"]
    app.extensions["lifestyle_api.settings"] = settings._replace(cognito_client_id="")
    assert claims_client(app).get("/me").status_code == 401


def test_without_a_client_id_no_bearer_token_is_trusted(app, signing_key):
    settings = app.extensions["lifestyle_api.settings"]
    app.extensions["lifestyle_api.settings"] = settings._replace(cognito_client_id="")
    token = signing_key.token(ISSUER, sub="carol-sub", client_id="any-client")
    response = app.test_client().get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_a_bearer_token_for_this_client_is_trusted(app, signing_key):
    token = signing_key.token(ISSUER, sub="carol-sub", client_id=TEST_CLIENT_ID)
    response = app.test_client().get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
