"""Tokens issued by moto's Cognito, verified by the app: sign up and log in through the API,
then call `/me` with the access token on the bearer path (the app verifies it against the
pool's JWKS) and through HTTP API v2 events carrying the same claims (as the gateway's JWT
authorizer passes them). moto runs in server mode because PyJWT fetches the JWKS over HTTP.
"""

from __future__ import annotations

import uuid

import pytest
from apig_wsgi import make_lambda_handler

from lifestyle_api import create_app
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.db.table import create_table
from tests.support.cognito import (
    PASSWORD,
    create_user_pool,
    moto_server,
    sign_up_and_login,
    token_claims,
)
from tests.support.events import (
    FakeLambdaContext,
    make_alb_event,
    make_v2_event,
    response_headers,
    response_json,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


@pytest.fixture
def pool(endpoint):
    return create_user_pool(endpoint)


@pytest.fixture
def app(pool):
    app = create_app(
        {
            "TABLE_NAME": "lifestyle-tokens",
            "AWS_REGION": "us-east-1",
            "CURSOR_SECRET": "test-cursor-secret",
            **pool.settings(),
        }
    )
    app.config["TESTING"] = True
    create_table(wait=False)
    return app


@pytest.fixture
def handler(app):
    return make_lambda_handler(app, binary_support=True)


@pytest.fixture
def email():
    return f"user-{uuid.uuid4().hex[:8]}@example.com"


@pytest.fixture
def tokens(app, email):
    return sign_up_and_login(app.test_client(), email)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def gateway_claims(token: str) -> dict[str, str]:
    """What the HTTP API JWT authorizer puts in the event: every claim as a string."""
    return {name: str(value) for name, value in token_claims(token).items()}


def test_moto_issues_the_tokens_the_app_expects(app, pool, tokens):
    settings = app.extensions["lifestyle_api.settings"]
    claims = token_claims(tokens["accessToken"])
    assert claims["iss"] == settings.jwt_issuer
    assert claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool.pool_id}"
    assert claims["token_use"] == "access"
    assert claims["client_id"] == pool.client_id
    assert "aud" not in claims


def test_bearer_path_and_v2_claims_reach_the_same_profile(app, handler, email, tokens):
    access_token = tokens["accessToken"]
    sub = token_claims(access_token)["sub"]

    via_bearer = app.test_client().get("/me", headers=bearer(access_token))
    assert via_bearer.status_code == 200
    assert via_bearer.json["userId"] == sub
    assert via_bearer.json["email"] == email

    event = make_v2_event(
        "PATCH",
        "/me",
        body={"timezone": "Europe/Paris"},
        headers={"authorization": f"Bearer {access_token}"},
        claims=gateway_claims(access_token),
    )
    patched = handler(event, FakeLambdaContext())
    assert patched["statusCode"] == 200
    assert response_json(patched)["timezone"] == "Europe/Paris"
    assert response_headers(patched)["etag"] == '"2"'

    event = make_v2_event("GET", "/me", claims=gateway_claims(access_token))
    via_claims = handler(event, FakeLambdaContext())
    assert via_claims["statusCode"] == 200
    assert response_json(via_claims) == {**via_bearer.json, **response_json(patched)}
    assert response_json(via_claims)["timezone"] == "Europe/Paris"


def test_alb_events_are_verified_by_the_app(handler, tokens):
    event = make_alb_event("GET", "/me", headers=bearer(tokens["accessToken"]))
    response = handler(event, FakeLambdaContext())
    assert response["statusCode"] == 200
    assert response_json(response)["userId"] == token_claims(tokens["accessToken"])["sub"]


def test_the_id_token_a_tampered_token_and_no_token_are_refused(app, tokens):
    client = app.test_client()
    header, payload, signature = tokens["accessToken"].split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    for token in (tokens["idToken"], tampered, "not.a.jwt"):
        response = client.get("/me", headers=bearer(token))
        assert response.status_code == 401
        assert response.json["error"] == "Unauthorized"
    assert client.get("/me").status_code == 401


def test_a_token_issued_to_another_app_client_is_refused(app, pool, email, tokens):
    cognito = pool.client()
    other = cognito.create_user_pool_client(
        UserPoolId=pool.pool_id,
        ClientName="someone-else",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    foreign = cognito.initiate_auth(
        ClientId=other,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    response = app.test_client().get("/me", headers=bearer(foreign))
    assert response.status_code == 401
    assert "another client" in response.json["message"]


def test_logout_on_the_bearer_path_revokes_the_refresh_token(app, tokens):
    client = app.test_client()
    assert client.post("/auth/logout", headers=bearer(tokens["accessToken"])).status_code == 204
    refused = client.post("/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert refused.status_code == 401


def test_after_delete_the_old_token_never_sees_old_data(app, pool, email, tokens):
    client = app.test_client()
    access_token = tokens["accessToken"]
    sub = token_claims(access_token)["sub"]
    client.patch(
        "/me", json={"name": "Before", "timezone": "Asia/Tokyo"}, headers=bearer(access_token)
    )
    client.post("/goals", json={"title": "Walk"}, headers=bearer(access_token))

    assert client.delete("/me", headers=bearer(access_token)).status_code == 204
    assert pool.user(email) is None

    # The signature still verifies until the token expires, but the account is gone: the
    # token is refused, and the profile is never created again.
    me = client.get("/me", headers=bearer(access_token))
    assert me.status_code == 401
    # A list that does not read the profile answers; the data it would read is gone.
    assert client.get("/goals", headers=bearer(access_token)).json["items"] == []
    assert [type(item).__name__ for item in TableItem.query(user_pk(sub))] == ["AccountTombstone"]
