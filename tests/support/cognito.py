"""Cognito for tests: a user pool like Terraform's (email as username, a password policy,
USER_PASSWORD_AUTH allowed), the app settings that point at it, moto in server mode (PyJWT
fetches JWKS over HTTP, which the in-process mock cannot serve), account helpers, and
`answering_like_aws` for the few calls where moto and Cognito disagree."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import jwt
from botocore.awsrequest import AWSResponse
from moto.server import ThreadedMotoServer

from tests.support.aws import TEST_REGION
from tests.support.faults import UNROUTABLE_URL, RawBody

PASSWORD = "Correct-Horse-9"
NEW_PASSWORD = "Battery-Staple-7"
PASSWORD_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": False,
}
POLICY_RULES = [
    "At least 8 characters.",
    "At least one uppercase letter.",
    "At least one lowercase letter.",
    "At least one number.",
]


@dataclass(frozen=True)
class UserPool:
    pool_id: str
    client_id: str
    endpoint_url: str | None = None

    def client(self):
        return boto3.client("cognito-idp", region_name=TEST_REGION, endpoint_url=self.endpoint_url)

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """App settings for this pool; JWT_ISSUER is derived from the pool, as on AWS."""
        settings: dict[str, Any] = {
            "COGNITO_USER_POOL_ID": self.pool_id,
            "COGNITO_CLIENT_ID": self.client_id,
            "JWT_ISSUER": "",
            "JWKS_URL": "",
        }
        if self.endpoint_url:
            settings["AWS_ENDPOINT_URL"] = self.endpoint_url
            settings["JWKS_URL"] = f"{self.endpoint_url}/{self.pool_id}/.well-known/jwks.json"
        settings.update(overrides)
        return settings

    def user(self, email: str) -> dict[str, Any] | None:
        """The Cognito user with this email, or None."""
        client = self.client()
        users = client.list_users(UserPoolId=self.pool_id, Filter=f'email = "{email}"')["Users"]
        return users[0] if users else None


# Settings for tests whose Cognito answers all come from botocore's Stubber.
STUBBED_POOL = UserPool(pool_id=f"{TEST_REGION}_Stubbed", client_id="stubbed-client-id")


def create_user_pool(endpoint_url: str | None = None) -> UserPool:
    client = boto3.client("cognito-idp", region_name=TEST_REGION, endpoint_url=endpoint_url)
    pool = client.create_user_pool(
        PoolName="lifestyle-test",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": PASSWORD_POLICY},
    )["UserPool"]
    app_client = client.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="lifestyle-api",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return UserPool(pool_id=pool["Id"], client_id=app_client["ClientId"], endpoint_url=endpoint_url)


def register(client, email: str, password: str = PASSWORD, **fields: Any) -> dict[str, Any]:
    response = client.post("/auth/register", json={"email": email, "password": password, **fields})
    assert response.status_code == 201, response.json
    return response.json


def sign_up_and_login(client, email: str, password: str = PASSWORD) -> dict[str, Any]:
    """Register, confirm (moto takes any code) and log in through the API: the tokens."""
    register(client, email, password)
    confirmed = client.post("/auth/confirm", json={"email": email, "code": "123456"})
    assert confirmed.status_code == 204, confirmed.json
    login = client.post("/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.json
    return login.json


def token_claims(token: str) -> dict[str, Any]:
    """The claims of a token, unverified: what a gateway authorizer would hand over."""
    return jwt.decode(token, options={"verify_signature": False})


def gateway_environ(token: str) -> dict[str, Any]:
    """The WSGI environ behind an HTTP API JWT authorizer that verified `token`
    (it passes every claim as a string)."""
    claims = {name: str(value) for name, value in token_claims(token).items()}
    return {"apig_wsgi.request_context": {"authorizer": {"jwt": {"claims": claims}}}}


@contextmanager
def moto_server() -> Iterator[str]:
    """moto in server mode on a free loopback port: yields its base URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def unreachable_endpoint() -> str:
    """A loopback URL nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# What Cognito answers, for a pool like Terraform's (`prevent_user_existence_errors`), about
# an account that does not exist, where moto answers otherwise: moto does not implement
# ResendConfirmationCode, and answers ConfirmForgotPassword for an unknown user with
# ResourceNotFoundException (which on AWS means a missing app client).
NO_SUCH_ACCOUNT: dict[str, tuple[int, dict[str, Any]]] = {
    # A simulated delivery, so the answer does not tell whether the account exists.
    "ResendConfirmationCode": (
        200,
        {
            "CodeDeliveryDetails": {
                "Destination": "u***@e***",
                "DeliveryMedium": "EMAIL",
                "AttributeName": "email",
            }
        },
    ),
    "ConfirmForgotPassword": (
        400,
        {"__type": "CodeMismatchException", "message": "Invalid verification code provided."},
    ),
}


@contextmanager
def answering_like_aws(client, answers: dict[str, tuple[int, dict[str, Any]]]) -> Iterator[None]:
    """`client` (a `cognito-idp` client) gets `answers[operation]` (status, JSON body) for
    those operations instead of moto's, through a `before-send` handler; other calls reach
    moto as usual."""
    events = client.meta.events
    service_id = client.meta.service_model.service_id.hyphenize()
    registered = []

    def answer(request, event_name: str, **_kwargs: Any):
        status, body = answers[event_name.rsplit(".", 1)[-1]]
        request.url = UNROUTABLE_URL  # so moto's handler, called after this one, skips it
        return AWSResponse(
            UNROUTABLE_URL,
            status,
            {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "answered"},
            RawBody(json.dumps(body).encode()),
        )

    for operation in answers:
        event = f"before-send.{service_id}.{operation}"
        events.register_first(event, answer, unique_id=f"like-aws-{operation}")
        registered.append((event, f"like-aws-{operation}"))
    try:
        yield
    finally:
        for event, unique_id in registered:
            events.unregister(event, unique_id=unique_id)
