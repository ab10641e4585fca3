"""Accounts through the API on moto's Cognito: the whole flow, every error mapping with the
envelope, answers that reveal nothing about which accounts exist, and no secret in the logs.

moto accepts any confirmation code and lacks some error paths, so CodeMismatch, ExpiredCode,
throttling and outages are driven with botocore's Stubber on the app's own Cognito client.
"""

from __future__ import annotations

import logging

import pytest
from botocore.stub import Stubber

from lifestyle_api.accounts.service import cognito_client
from lifestyle_api.profile.models import ProfileItem
from tests.support.cognito import (
    NEW_PASSWORD,
    PASSWORD,
    POLICY_RULES,
    STUBBED_POOL,
    create_user_pool,
    gateway_environ,
    register,
    sign_up_and_login,
    unreachable_endpoint,
)

EMAIL = "ada@example.com"
ENVELOPE_KEYS = {"error", "message", "timestamp", "requestId"}


@pytest.fixture
def pool(aws):
    return create_user_pool()


@pytest.fixture
def settings_overrides(request):
    """Tests using `pool` talk to moto's Cognito; the others name a pool only the Stubber
    answers for (a moto pool costs a fraction of a second to create)."""
    if "pool" in request.fixturenames:
        return request.getfixturevalue("pool").settings()
    return STUBBED_POOL.settings()


@pytest.fixture
def settings(app):
    return app.extensions["lifestyle_api.settings"]


@pytest.fixture
def stubber(settings):
    """Stubs the app's Cognito client: queued answers replace Cognito (and its retries)."""
    with Stubber(cognito_client(settings)) as stub:
        yield stub
        stub.assert_no_pending_responses()


def change_settings(app, monkeypatch, **changes):
    settings = app.extensions["lifestyle_api.settings"]
    monkeypatch.setitem(app.extensions, "lifestyle_api.settings", settings._replace(**changes))


def assert_envelope(response, status, error=None):
    assert response.status_code == status, response.json
    assert response.is_json
    assert set(response.json) >= ENVELOPE_KEYS
    if error:
        assert response.json["error"] == error


def as_client(app, tokens):
    """A client calling the way the gateway passes a request on: verified claims in the
    request context, the Authorization header still there."""
    client = app.test_client()
    client.environ_base.update(gateway_environ(tokens["accessToken"]))
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens['accessToken']}"
    return client


def test_whole_account_flow(app, client, pool):
    registered = client.post(
        "/auth/register", json={"email": "Ada@Example.com ", "password": PASSWORD, "name": "Ada"}
    )
    assert registered.status_code == 201
    assert registered.headers["Location"] == "/me"
    user_id = registered.json["userId"]
    assert registered.json == {"userId": user_id, "email": EMAIL, "confirmed": False}
    stored = ProfileItem.get(*ProfileItem.key(user_id))
    assert (stored.email, stored.name, stored.timezone, stored.unit_system) == (
        EMAIL,
        "Ada",
        "UTC",
        "metric",
    )

    early = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_envelope(early, 403, "Forbidden")

    assert client.post("/auth/confirm", json={"email": EMAIL, "code": "123456"}).status_code == 204
    login = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200
    tokens = login.json
    assert set(tokens) == {"accessToken", "idToken", "refreshToken", "expiresIn", "tokenType"}
    assert tokens["tokenType"] == "Bearer"
    assert tokens["expiresIn"] > 0

    me = as_client(app, tokens).get("/me")
    assert me.status_code == 200
    assert me.json["userId"] == user_id
    assert me.json["email"] == EMAIL
    assert me.json["name"] == "Ada"

    refreshed = client.post("/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert refreshed.status_code == 200
    assert set(refreshed.json) == {"accessToken", "idToken", "expiresIn", "tokenType"}

    assert as_client(app, tokens).post("/auth/logout").status_code == 204
    revoked = client.post("/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert_envelope(revoked, 401, "Unauthorized")

    forgot = client.post("/auth/forgot-password", json={"email": EMAIL})
    assert forgot.status_code == 202
    reset = client.post(
        "/auth/reset-password",
        json={"email": EMAIL, "code": "654321", "newPassword": NEW_PASSWORD},
    )
    assert reset.status_code == 204
    old = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_envelope(old, 401)
    new = client.post("/auth/login", json={"email": EMAIL, "password": NEW_PASSWORD})
    assert new.status_code == 200
    assert pool.user(EMAIL)["UserStatus"] == "CONFIRMED"


def test_email_taken_is_409_and_changes_nothing(client, pool):
    first = register(client, EMAIL, name="Ada")
    again = client.post(
        "/auth/register", json={"email": EMAIL, "password": PASSWORD, "name": "Eve"}
    )
    assert_envelope(again, 409, "Conflict")
    assert "already exists" in again.json["message"]
    assert ProfileItem.get(*ProfileItem.key(first["userId"])).name == "Ada"


def test_weak_password_is_400_with_the_policy(client, pool):
    weak = client.post("/auth/register", json={"email": EMAIL, "password": "short"})
    assert_envelope(weak, 400, "Validation Error")
    assert weak.json["details"] == {"password": POLICY_RULES}
    assert pool.user(EMAIL) is None
    assert list(ProfileItem.scan()) == []


def test_weak_new_password_on_reset_is_400_with_the_policy(client, stubber, settings):
    # moto does not check the policy on reset: Cognito's answer is stubbed.
    stubber.add_client_error(
        "confirm_forgot_password", service_error_code="InvalidPasswordException"
    )
    stubber.add_response(
        "describe_user_pool",
        {
            "UserPool": {
                "Policies": {"PasswordPolicy": {"MinimumLength": 12, "RequireSymbols": True}}
            }
        },
        expected_params={"UserPoolId": settings.cognito_user_pool_id},
    )
    weak = client.post(
        "/auth/reset-password", json={"email": EMAIL, "code": "123456", "newPassword": "weak"}
    )
    assert_envelope(weak, 400, "Validation Error")
    assert weak.json["details"] == {
        "newPassword": ["At least 12 characters.", "At least one symbol."]
    }


def test_wrong_password_and_unknown_user_get_the_same_401(client, pool):
    sign_up_and_login(client, EMAIL)
    wrong = client.post("/auth/login", json={"email": EMAIL, "password": "Wrong-Pass-1"})
    unknown = client.post(
        "/auth/login", json={"email": "nobody@example.com", "password": "Wrong-Pass-1"}
    )
    for response in (wrong, unknown):
        assert_envelope(response, 401, "Unauthorized")
        assert "accessToken" not in response.json
    same = ("error", "message", "details")
    assert {k: wrong.json.get(k) for k in same} == {k: unknown.json.get(k) for k in same}
    assert wrong.headers.get("WWW-Authenticate") == unknown.headers.get("WWW-Authenticate")


def test_unconfirmed_login_is_403(client, pool):
    register(client, EMAIL)
    response = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_envelope(response, 403, "Forbidden")
    assert "Confirm" in response.json["message"]


def test_invalid_refresh_token_is_401(client, pool):
    response = client.post("/auth/refresh", json={"refreshToken": "not-a-refresh-token"})
    assert_envelope(response, 401, "Unauthorized")


@pytest.mark.parametrize("code", ["CodeMismatchException", "ExpiredCodeException"])
def test_wrong_or_expired_code_on_confirm_is_400(client, stubber, code):
    stubber.add_client_error("confirm_sign_up", service_error_code=code, http_status_code=400)
    response = client.post("/auth/confirm", json={"email": EMAIL, "code": "000000"})
    assert_envelope(response, 400, "Validation Error")
    assert set(response.json["details"]) == {"code"}


@pytest.mark.parametrize(
    "code", ["CodeMismatchException", "ExpiredCodeException", "UserNotFoundException"]
)
def test_wrong_code_or_unknown_user_on_reset_is_the_same_400(client, stubber, code):
    stubber.add_client_error(
        "confirm_forgot_password", service_error_code=code, http_status_code=400
    )
    response = client.post(
        "/auth/reset-password",
        json={"email": EMAIL, "code": "000000", "newPassword": NEW_PASSWORD},
    )
    assert_envelope(response, 400, "Validation Error")
    assert response.json["message"] == "The code is wrong or has expired; ask for a new one."
    assert set(response.json["details"]) == {"code"}


def test_confirm_for_an_unknown_account_answers_like_a_wrong_code(client, pool):
    response = client.post("/auth/confirm", json={"email": "nobody@example.com", "code": "1"})
    assert_envelope(response, 400, "Validation Error")
    assert set(response.json["details"]) == {"code"}


@pytest.mark.parametrize(
    ("operation", "path", "body"),
    [
        ("initiate_auth", "/auth/login", {"email": EMAIL, "password": PASSWORD}),
        ("sign_up", "/auth/register", {"email": EMAIL, "password": PASSWORD}),
        ("confirm_sign_up", "/auth/confirm", {"email": EMAIL, "code": "123456"}),
        ("initiate_auth", "/auth/refresh", {"refreshToken": "token"}),
    ],
)
@pytest.mark.parametrize("code", ["TooManyRequestsException", "LimitExceededException"])
def test_too_many_requests_is_429(client, stubber, operation, path, body, code):
    stubber.add_client_error(operation, service_error_code=code, http_status_code=400)
    response = client.post(path, json=body)
    assert_envelope(response, 429, "Too Many Requests")
    assert response.headers["Retry-After"] == "1"


def test_cognito_internal_error_on_login_is_503(client, stubber):
    stubber.add_client_error(
        "initiate_auth", service_error_code="InternalErrorException", http_status_code=500
    )
    response = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_envelope(response, 503, "Service Unavailable")
    assert response.headers["Retry-After"] == "1"


def test_unreachable_cognito_on_login_is_503(app, client, monkeypatch):
    change_settings(app, monkeypatch, aws_endpoint_url=unreachable_endpoint())
    response = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_envelope(response, 503, "Service Unavailable")
    assert response.headers["Retry-After"] == "1"
    assert "Connect" not in response.json["message"]


@pytest.mark.parametrize("path", ["/auth/resend-code", "/auth/forgot-password"])
@pytest.mark.parametrize(
    "code",
    [
        "UserNotFoundException",
        "NotAuthorizedException",
        "InvalidParameterException",
        "LimitExceededException",
    ],
)
def test_resend_and_forgot_answer_202_whatever_the_account(client, stubber, path, code):
    operation = "resend_confirmation_code" if "resend" in path else "forgot_password"
    stubber.add_client_error(operation, service_error_code=code, http_status_code=400)
    response = client.post(path, json={"email": "nobody@example.com"})
    assert response.status_code == 202
    assert response.json == {
        "message": "If an account exists for this email, a code is on its way."
    }


def test_resend_code_asks_cognito_for_the_normalized_email(client, stubber, settings):
    stubber.add_response(
        "resend_confirmation_code",
        {"CodeDeliveryDetails": {"DeliveryMedium": "EMAIL"}},
        expected_params={"ClientId": settings.cognito_client_id, "Username": EMAIL},
    )
    assert client.post("/auth/resend-code", json={"email": " ADA@example.com"}).status_code == 202


def test_forgot_password_for_an_unknown_email_is_202(client, pool):
    response = client.post("/auth/forgot-password", json={"email": "nobody@example.com"})
    assert response.status_code == 202


def test_local_auto_confirm_confirms_at_sign_up(app, client, pool, monkeypatch, stubber):
    stubber.deactivate()
    change_settings(app, monkeypatch, local_auto_confirm=True)
    registered = register(client, EMAIL)
    assert registered["confirmed"] is True
    assert pool.user(EMAIL)["UserStatus"] == "CONFIRMED"
    login = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200
    # There is no code to send again: nothing reaches Cognito.
    stubber.activate()
    assert client.post("/auth/resend-code", json={"email": EMAIL}).status_code == 202


def test_logout_needs_a_caller(client, stubber):
    response = client.post("/auth/logout")
    assert_envelope(response, 401, "Unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_logout_twice_is_still_204(app, client, pool):
    tokens = sign_up_and_login(client, EMAIL)
    caller = as_client(app, tokens)
    assert caller.post("/auth/logout").status_code == 204
    assert caller.post("/auth/logout").status_code == 204


def test_logout_with_claims_but_no_token_is_401(make_client, stubber):
    response = make_client("claims-only").post("/auth/logout")
    assert_envelope(response, 401, "Unauthorized")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/auth/register", {"email": "not-an-email", "password": PASSWORD}, "email"),
        ("/auth/register", {"email": EMAIL}, "password"),
        ("/auth/register", {"email": EMAIL, "password": PASSWORD, "admin": True}, "admin"),
        ("/auth/register", {"email": EMAIL, "password": PASSWORD, "name": ""}, "name"),
        ("/auth/confirm", {"email": EMAIL}, "code"),
        # Cognito's own limits on a username and a code, which it would refuse as invalid
        # parameters: refused here first.
        ("/auth/register", {"email": f"{'a' * 117}@example.com", "password": PASSWORD}, "email"),
        ("/auth/confirm", {"email": EMAIL, "code": "123 456"}, "code"),
        ("/auth/login", {"email": EMAIL, "password": ""}, "password"),
        ("/auth/refresh", {}, "refreshToken"),
        ("/auth/reset-password", {"email": EMAIL, "code": "1", "password": "x"}, "password"),
        ("/auth/forgot-password", {"email": ["a@example.com"]}, "email"),
    ],
)
def test_invalid_bodies_are_400_and_reach_no_one(client, stubber, path, body, field):
    response = client.post(path, json=body)
    assert_envelope(response, 400, "Validation Error")
    assert field in response.json["details"]


def test_validation_messages_never_echo_the_password(client, stubber):
    response = client.post(
        "/auth/register", json={"email": "bad", "password": PASSWORD, "passwd": PASSWORD}
    )
    assert response.status_code == 400
    assert PASSWORD not in response.get_data(as_text=True)


def test_no_password_code_or_token_is_logged(app, client, pool, log_output, caplog, stubber):
    # The app's own log lines (`log_output`) and every record any logger passes on
    # (`caplog`), of this test's requests only.
    caplog.set_level(logging.DEBUG, logger="lifestyle-api")
    stubber.deactivate()
    tokens = sign_up_and_login(client, EMAIL)
    client.post("/auth/login", json={"email": EMAIL, "password": "Wrong-Pass-1"})
    client.post("/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    as_client(app, tokens).get("/me")
    as_client(app, tokens).post("/auth/logout")
    client.post(
        "/auth/reset-password",
        json={"email": EMAIL, "code": "97531", "newPassword": NEW_PASSWORD},
    )
    stubber.activate()
    stubber.add_client_error("initiate_auth", service_error_code="InternalErrorException")
    client.post("/auth/login", json={"email": EMAIL, "password": "Outage-Pass-3"})

    logged = log_output.getvalue() + caplog.text
    assert "Account registered" in log_output.getvalue()  # the capture sees the app's lines
    assert "Cognito refused a call" in log_output.getvalue()
    secrets = [PASSWORD, NEW_PASSWORD, "Wrong-Pass-1", "Outage-Pass-3", "123456", "97531"]
    secrets += [tokens["accessToken"], tokens["idToken"], tokens["refreshToken"]]
    for secret in secrets:
        assert secret not in logged


def test_auth_routes_are_public_in_the_openapi_document_except_logout(client):
    paths = client.get("/openapi.json").json["paths"]
    auth_paths = {path: ops["post"] for path, ops in paths.items() if path.startswith("/auth/")}
    assert len(auth_paths) == 8
    for path, operation in auth_paths.items():
        if path == "/auth/logout":
            assert "security" not in operation
            assert "401" in operation["responses"]
        else:
            assert operation["security"] == []


# Cognito errors that were 500s (API.md: every error is a documented 4xx, 429 or 503).
ROUTE_OF = {
    "sign_up": ("/auth/register", {"email": EMAIL, "password": PASSWORD, "name": "Ada"}),
    "initiate_auth": ("/auth/login", {"email": EMAIL, "password": PASSWORD}),
    "confirm_sign_up": ("/auth/confirm", {"email": EMAIL, "code": "123456"}),
    "confirm_forgot_password": (
        "/auth/reset-password",
        {"email": EMAIL, "code": "123456", "newPassword": NEW_PASSWORD},
    ),
    "resend_confirmation_code": ("/auth/resend-code", {"email": EMAIL}),
    "forgot_password": ("/auth/forgot-password", {"email": EMAIL}),
}


@pytest.mark.parametrize(
    ("operation", "code", "status"),
    [
        ("sign_up", "InvalidParameterException", 400),
        ("initiate_auth", "InvalidParameterException", 400),
        ("confirm_sign_up", "InvalidParameterException", 400),
        ("confirm_forgot_password", "InvalidParameterException", 400),
        ("initiate_auth", "PasswordResetRequiredException", 403),
        ("confirm_forgot_password", "UserNotConfirmedException", 400),
        ("resend_confirmation_code", "CodeDeliveryFailureException", 202),
        ("forgot_password", "CodeDeliveryFailureException", 202),
        ("sign_up", "UserLambdaValidationException", 400),
        ("initiate_auth", "UserLambdaValidationException", 400),
        ("confirm_sign_up", "AliasExistsException", 409),
    ],
)
def test_cognito_errors_that_were_500s_have_their_meaning(client, stubber, operation, code, status):
    path, body = ROUTE_OF[operation]
    stubber.add_client_error(operation, service_error_code=code, http_status_code=400)
    response = client.post(path, json=body)
    assert response.status_code == status, response.json
    if status >= 400:
        assert_envelope(response, status)


def test_a_code_that_cannot_be_delivered_at_sign_up_leaves_no_account(client, stubber, settings):
    stubber.add_client_error("sign_up", service_error_code="CodeDeliveryFailureException")
    stubber.add_response(
        "admin_delete_user",
        {},
        expected_params={"UserPoolId": settings.cognito_user_pool_id, "Username": EMAIL},
    )
    response = client.post("/auth/register", json={"email": EMAIL, "password": PASSWORD})
    assert_envelope(response, 503, "Service Unavailable")
    assert response.headers["Retry-After"] == "1"


def test_reset_password_for_an_unknown_email_is_the_wrong_code_400(client, pool):
    """On the emulator's Cognito, which answers an unknown user otherwise than Cognito."""
    response = client.post(
        "/auth/reset-password",
        json={"email": "nobody@example.com", "code": "123456", "newPassword": NEW_PASSWORD},
    )
    assert_envelope(response, 400, "Validation Error")
    assert response.json["message"] == "The code is wrong or has expired; ask for a new one."
    assert set(response.json["details"]) == {"code"}
