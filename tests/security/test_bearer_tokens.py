"""Bearer tokens the app verifies itself (no authorizer in front: local runs, an ALB, a route
left open by mistake): every claim that must be there, settings left empty fail closed, the
`WWW-Authenticate` challenge on every 401, the JWKS fetched once for many tokens, and a JWKS
endpoint slower than the fetch timeout is a 503 rather than a request that hangs."""

from __future__ import annotations

import time
from types import SimpleNamespace

import jwt
import jwt.jwk_set_cache
import pytest

from lifestyle_api import identity as identity_module
from tests.support.identity import TEST_CLIENT_ID, JwksServer, SigningKey, authorizer_environ

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bearer"
CHALLENGE = 'Bearer realm="lifestyle-api"'


@pytest.fixture(scope="module")
def signing_key():
    return SigningKey()


@pytest.fixture
def jwks(signing_key):
    with JwksServer([signing_key]) as server:
        yield server


@pytest.fixture
def settings_overrides(jwks):
    return {"JWT_ISSUER": ISSUER, "JWKS_URL": jwks.jwks_url}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_challenged(response) -> None:
    assert response.status_code == 401, response.get_json()
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    body = response.get_json()
    assert body["error"] == "Unauthorized"
    assert body["requestId"] == response.headers["X-Request-Id"]


def test_a_valid_token_names_the_caller(client, signing_key):
    token = signing_key.token(ISSUER, sub="carol-sub")
    created = client.post("/goals", json={"title": "Read"}, headers=bearer(token))
    assert created.status_code == 201
    # The same person under another scheme spelling sees it; another token's user does not.
    spelled = client.get("/goals", headers={"Authorization": f"bearer   {token}  "})
    assert [goal["title"] for goal in spelled.json["items"]] == ["Read"]
    other = client.get("/goals", headers=bearer(signing_key.token(ISSUER, sub="dave-sub")))
    assert other.json["items"] == []


@pytest.mark.parametrize("claim", ["exp", "iat", "iss", "sub"])
def test_a_token_without_a_required_claim_is_refused(client, signing_key, claim):
    token = signing_key.token(ISSUER, **{claim: None})
    assert claim not in jwt.decode(token, options={"verify_signature": False})
    assert_challenged(client.get("/goals", headers=bearer(token)))


def test_a_token_issued_in_the_future_is_refused(client, signing_key):
    token = signing_key.token(ISSUER, iat=int(time.time()) + 3600)
    assert_challenged(client.get("/goals", headers=bearer(token)))


def other_key_token(_key: SigningKey) -> str:
    return SigningKey().token(ISSUER)  # the same kid, another key


def hs256_token(_key: SigningKey) -> str:
    claims = {"sub": "eve", "iss": ISSUER, "exp": int(time.time()) + 900, "iat": int(time.time())}
    return jwt.encode(
        claims,
        "a-shared-secret-of-at-least-32-bytes",
        algorithm="HS256",
        headers={"kid": "test-key"},
    )


INVALID = "The access token is not valid."
NOT_ACCESS = "Send an access token, not an ID token."
BAD_TOKENS = {
    "expired": (lambda key: key.token(ISSUER, exp=int(time.time()) - 60), INVALID),
    "another issuer": (lambda key: key.token(ISSUER + "-other"), INVALID),
    "an id token": (lambda key: key.token(ISSUER, token_use="id"), NOT_ACCESS),
    "no token_use": (lambda key: key.token(ISSUER, token_use=None), NOT_ACCESS),
    "another client": (
        lambda key: key.token(ISSUER, client_id="someone-elses-client"),
        "The access token was issued to another client.",
    ),
    "no client_id": (
        lambda key: key.token(ISSUER, client_id=None),
        "The access token was issued to another client.",
    ),
    "empty subject": (lambda key: key.token(ISSUER, sub=""), "The token names no user."),
    "another key": (other_key_token, INVALID),
    "HS256": (hs256_token, INVALID),
    "garbage": (lambda _key: "not.a.jwt", INVALID),
}


@pytest.mark.parametrize(("make_token", "message"), BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_bad_tokens_are_401_with_the_challenge(client, signing_key, make_token, message):
    response = client.get("/goals", headers=bearer(make_token(signing_key)))
    assert_challenged(response)
    assert response.get_json()["message"] == message


def test_an_audience_claim_does_not_replace_the_client_check(client, signing_key):
    # Cognito access tokens name their app client in `client_id`, not `aud`: a token that
    # also carries an audience is held to `client_id` all the same.
    with_audience = signing_key.token(ISSUER, aud="any-audience")
    assert client.get("/goals", headers=bearer(with_audience)).status_code == 200
    foreign = signing_key.token(ISSUER, aud=TEST_CLIENT_ID, client_id="someone-elses-client")
    assert_challenged(client.get("/goals", headers=bearer(foreign)))


@pytest.mark.parametrize(
    "authorization", [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token abc"]
)
def test_requests_without_a_bearer_token_are_401_with_the_challenge(client, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get("/goals", headers=headers)
    assert_challenged(response)
    assert response.get_json()["message"] == (
        "Send a Cognito access token as 'Authorization: Bearer <token>'."
    )


@pytest.mark.parametrize(
    ("sub", "claims"),
    [("", {}), ("gateway-sub", {"token_use": "id"})],
    ids=["no subject", "an id token"],
)
def test_authorizer_claims_that_name_no_access_are_401_with_the_challenge(app, sub, claims):
    caller = app.test_client()
    caller.environ_base.update(authorizer_environ(sub, **claims))
    assert_challenged(caller.get("/goals"))


def test_authorizer_claims_from_another_issuer_are_401_with_the_challenge(app):
    """Claims an authorizer passed are held to `JWT_ISSUER` as a bearer token's are: a
    gateway wired to another user pool names no caller of this app."""
    caller = app.test_client()
    caller.environ_base.update(authorizer_environ("gateway-sub", iss=ISSUER + "-other"))
    response = caller.get("/goals")
    assert_challenged(response)
    assert response.get_json()["message"] == "The access token was issued by another issuer."
    caller.environ_base.update(authorizer_environ("gateway-sub", iss=ISSUER))
    assert caller.get("/goals").status_code == 200


def test_authorizer_claims_without_token_use_are_401_like_a_bearer_tokens(app):
    """The gateway's claims are checked as a bearer token's are (API.md: fail closed): an
    authorizer that passed a token without `token_use` passed no access token."""
    environ = authorizer_environ("gateway-sub")
    del environ["apig_wsgi.request_context"]["authorizer"]["jwt"]["claims"]["token_use"]
    caller = app.test_client()
    caller.environ_base.update(environ)
    assert_challenged(caller.get("/goals"))


def test_empty_authorizer_claims_fall_back_to_the_bearer_token(app, signing_key):
    caller = app.test_client()
    caller.environ_base["apig_wsgi.request_context"] = {"authorizer": {"jwt": {"claims": {}}}}
    assert_challenged(caller.get("/goals"))
    token = signing_key.token(ISSUER, sub="fallback-sub")
    assert caller.get("/goals", headers=bearer(token)).status_code == 200


class TestEmptySettingsFailClosed:
    """With an identity setting left empty no bearer token is accepted, whatever it claims,
    and the JWKS is not even fetched."""

    @pytest.fixture
    def settings_overrides(self, request, jwks):
        settings = {
            "JWT_ISSUER": ISSUER,
            "JWKS_URL": jwks.jwks_url,
            "COGNITO_CLIENT_ID": TEST_CLIENT_ID,
        }
        settings[request.param] = ""
        return settings

    @pytest.mark.parametrize(
        "settings_overrides", ["JWT_ISSUER", "JWKS_URL", "COGNITO_CLIENT_ID"], indirect=True
    )
    @pytest.mark.parametrize("issuer", [ISSUER, ""], ids=["pool issuer", "empty issuer"])
    @pytest.mark.parametrize("client_id", [TEST_CLIENT_ID, ""], ids=["client", "empty client"])
    def test_no_token_is_accepted(self, client, signing_key, jwks, issuer, client_id):
        token = signing_key.token(ISSUER, iss=issuer, client_id=client_id)
        response = client.get("/goals", headers=bearer(token))
        assert_challenged(response)
        assert response.get_json()["message"] == (
            "Bearer tokens are not accepted: no token issuer is configured."
        )
        assert jwks.fetches == 0


def test_one_jwks_fetch_serves_many_tokens(client, signing_key, jwks):
    for index in range(5):
        token = signing_key.token(ISSUER, sub=f"user-{index}")
        assert client.get("/goals", headers=bearer(token)).status_code == 200
    for make_token, _message in BAD_TOKENS.values():
        client.get("/goals", headers=bearer(make_token(signing_key)))
    assert jwks.fetches == 1


def test_a_warm_container_keeps_the_keys_it_verified_with(client, signing_key, jwks, monkeypatch):
    assert client.get("/goals", headers=bearer(signing_key.token(ISSUER))).status_code == 200
    # Hours later by the clock the key set's cache goes by, long after the set expired:
    # a key already used is kept (a flood of tokens never turns into a fetch each).
    hours_later = SimpleNamespace(monotonic=lambda: time.monotonic() + 5 * 3600)
    monkeypatch.setattr(jwt.jwk_set_cache, "time", hours_later)
    for index in range(3):
        token = signing_key.token(ISSUER, sub=f"later-{index}")
        assert client.get("/goals", headers=bearer(token)).status_code == 200
    assert jwks.fetches == 1


def test_a_jwks_endpoint_slower_than_the_timeout_is_503(client, signing_key, jwks, monkeypatch):
    # The endpoint holds every answer until the test ends (or `HELD_AT_MOST` seconds): only
    # a client that stops waiting on its own gets an answer before that.
    monkeypatch.setattr(identity_module, "JWKS_FETCH_TIMEOUT_SECONDS", 0.2)
    jwks.hold_answers()
    response = client.get("/goals", headers=bearer(signing_key.token(ISSUER)))
    assert response.status_code == 503, response.get_json()
    assert response.get_json()["message"] == "The token keys cannot be fetched; try again shortly."
    assert response.headers["Retry-After"] == "1"
    assert "WWW-Authenticate" not in response.headers
    assert (jwks.fetches, jwks.answered) == (1, 0), "the app gave up before the endpoint answered"

    jwks.release_answers()
    assert client.get("/goals", headers=bearer(signing_key.token(ISSUER))).status_code == 200
