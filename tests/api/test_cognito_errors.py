"""Every error Cognito can answer, generated from botocore's service model: for each call the
app makes, each error its operation lists maps to a status the route documents (a 4xx, 429
or 503, never a 500), with `Retry-After` on a 429 or 503. A new error in the model fails
`test_every_error_in_the_model_is_mapped` until it is given a meaning in
`lifestyle_api.accounts.cognito.CALLS`.

Cognito's answers come from botocore's Stubber on the app's own client; anything else the
route calls on Cognito is stubbed too (or the Stubber fails the test)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from lifestyle_api.accounts import cognito
from lifestyle_api.accounts.cognito import CALLS, COMMON_ERRORS, FALLBACK_CALLS, cognito_client
from lifestyle_api.accounts.schemas import CODE_PATTERN, EMAIL_MAX, PASSWORD_PATTERN
from tests.support.cognito import STUBBED_POOL
from tests.support.identity import TEST_CLIENT_ID, caller_of

EMAIL = "ada@example.com"
PASSWORD = "Correct-Horse-9"


@cache
def service_model():
    return botocore.session.get_session().get_service_model("cognito-idp")


def model_errors(operation: str) -> list[str]:
    return sorted(shape.name for shape in service_model().operation_model(operation).error_shapes)


def method_name(operation: str) -> str:
    """boto3's method for an operation: `SignUp` -> `sign_up`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


# Each call the app makes: the request that makes it, and what runs before it.
ROUTES: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "register": ("POST", "/auth/register", {"email": EMAIL, "password": PASSWORD, "name": "Ada"}),
    "auto_confirm": ("POST", "/auth/register", {"email": EMAIL, "password": PASSWORD}),
    "confirm": ("POST", "/auth/confirm", {"email": EMAIL, "code": "123456"}),
    "resend_code": ("POST", "/auth/resend-code", {"email": EMAIL}),
    "login": ("POST", "/auth/login", {"email": EMAIL, "password": PASSWORD}),
    "refresh": ("POST", "/auth/refresh", {"refreshToken": "a-refresh-token"}),
    "logout": ("POST", "/auth/logout", None),
    "forgot_password": ("POST", "/auth/forgot-password", {"email": EMAIL}),
    "reset_password": (
        "POST",
        "/auth/reset-password",
        {"email": EMAIL, "code": "123456", "newPassword": "Battery-Staple-7"},
    ),
    "delete_user": ("DELETE", "/me", None),
}
CASES = [(name, code) for name, call in CALLS.items() for code in model_errors(call.operation)]


@pytest.fixture
def settings_overrides():
    return STUBBED_POOL.settings(COGNITO_CLIENT_ID=TEST_CLIENT_ID)


@pytest.fixture
def stubber(app):
    with Stubber(cognito_client(app.extensions["lifestyle_api.settings"])) as stub:
        yield stub
        stub.assert_no_pending_responses()


@cache
def documented_statuses(method: str, path: str) -> frozenset[int]:
    from tests.support.routes import openapi_document

    responses = openapi_document()["paths"][path][method.lower()]["responses"]
    return frozenset(int(status) for status in responses)


def caller(app):
    """A signed-in caller: gateway claims and the access token they came with."""
    client = app.test_client()
    client.environ_base.update(caller_of(app, "ada-sub", username="ada-sub"))
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer an.access.token"
    return client


def test_every_call_is_made_to_an_operation_the_model_has():
    operations = set(service_model().operation_names)
    assert {call.operation for call in CALLS.values()} <= operations
    assert set(FALLBACK_CALLS.values()) <= operations
    assert set(ROUTES) == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_error_in_the_model_is_mapped(name):
    call = CALLS[name]
    if call.other is not None:
        return  # every error has an answer
    unmapped = set(model_errors(call.operation)) - call.errors.keys() - COMMON_ERRORS.keys()
    assert not unmapped, f"give these errors of {call.operation} a meaning: {sorted(unmapped)}"


def test_the_schemas_check_what_cognito_checks():
    """The patterns and limits the schemas enforce are the service model's own."""
    sign_up = service_model().operation_model("SignUp").input_shape.members
    confirm = service_model().operation_model("ConfirmSignUp").input_shape.members
    assert sign_up["Password"].metadata["pattern"] == "[\\S]+"
    assert PASSWORD_PATTERN == "\\S+"
    assert confirm["ConfirmationCode"].metadata["pattern"] == "[\\S]+"
    assert CODE_PATTERN == "\\S+"
    assert sign_up["Username"].metadata["max"] == EMAIL_MAX
    assert sign_up["Username"].metadata["pattern"] == "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
    assert sign_up["UserAttributes"].member.members["Value"].metadata["max"] >= 120


@pytest.mark.parametrize(("name", "code"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_every_cognito_error_is_a_documented_answer(app, client, stubber, monkeypatch, name, code):
    method, path, body = ROUTES[name]
    monkeypatch.setattr(cognito, "_policies", {})  # the password policy is read afresh
    settings = app.extensions["lifestyle_api.settings"]
    if name == "auto_confirm":
        app.extensions["lifestyle_api.settings"] = settings._replace(local_auto_confirm=True)
        stubber.add_response("sign_up", {"UserConfirmed": False, "UserSub": "ada-sub"})
    stubber.add_client_error(
        method_name(CALLS[name].operation), service_error_code=code, http_status_code=400
    )
    if name == "register" and code == "CodeDeliveryFailureException":
        stubber.add_response("admin_delete_user", {})  # the half-made account is removed
    if code == "InvalidPasswordException":
        stubber.add_response("describe_user_pool", {"UserPool": {"Policies": {}}})

    sender = caller(app) if path in {"/auth/logout", "/me"} else client
    response = sender.open(path, method=method, json=body)

    status = response.status_code
    assert status != 500, response.get_json()
    assert status < 400 or status in documented_statuses(method, path), (status, path)
    assert status < 400 or set(response.get_json()) >= {"error", "message", "requestId"}
    if status in {429, 503}:
        assert int(response.headers["Retry-After"]) >= 1
