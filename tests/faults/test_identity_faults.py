"""Identity providers that are down: a JWKS endpoint that cannot be reached or fails gives
503 to bearer-token requests (not 500, not 401), and a Cognito outage on login gives 503."""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest

from tests.support.faults import AwsFaults
from tests.support.identity import JwksServer, SigningKey, authorizer_environ
from tests.support.required_routes import require_route
from tests.support.resources import VALID_BODIES

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Outage"


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FailingJwks:
    """A JWKS endpoint that answers 503 to everything."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/.well-known/jwks.json"

    def __enter__(self) -> FailingJwks:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.get_json()
    assert response.headers["Retry-After"] == "1"
    body = response.get_json()
    assert body["error"] == "Service Unavailable"
    assert body["requestId"] == response.headers["X-Request-Id"]


@pytest.fixture(scope="module")
def signing_key():
    return SigningKey()


@pytest.fixture(scope="module")
def failing_jwks():
    with FailingJwks() as jwks:
        yield jwks


@pytest.fixture(scope="module")
def working_jwks(signing_key):
    with JwksServer([signing_key]) as jwks:
        yield jwks


@pytest.fixture
def settings_overrides(request, failing_jwks, working_jwks):
    """The app's JWKS: a closed loopback port, a server answering 503, or a working one."""
    urls = {
        "closed-port": f"http://127.0.0.1:{closed_port()}/.well-known/jwks.json",
        "answers-503": failing_jwks.url,
        "up": working_jwks.jwks_url,
    }
    return {"JWKS_URL": urls[getattr(request, "param", "closed-port")], "JWT_ISSUER": ISSUER}


@pytest.mark.parametrize("settings_overrides", ["closed-port", "answers-503"], indirect=True)
def test_bearer_tokens_get_503_while_the_jwks_is_down(client, signing_key):
    token = signing_key.token(ISSUER)
    response = client.get("/goals", headers={"Authorization": f"Bearer {token}"})
    assert_unavailable(response)
    assert "WWW-Authenticate" not in response.headers


@pytest.mark.parametrize("settings_overrides", ["up"], indirect=True)
def test_the_same_token_passes_once_the_jwks_answers(client, signing_key):
    token = signing_key.token(ISSUER)
    assert client.get("/goals", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_claims_from_the_gateway_need_no_jwks(app):
    """Behind API Gateway the authorizer verified the token: a JWKS outage changes nothing."""
    alice = app.test_client()
    alice.environ_base.update(authorizer_environ("alice-sub", iss=ISSUER))
    assert alice.get("/goals").status_code == 200


COGNITO_OUTAGES = [
    ("InternalErrorException", 500),
    ("ServiceUnavailableException", 503),
    (None, 0),  # the endpoint refuses connections
]


@pytest.mark.parametrize(("code", "status"), COGNITO_OUTAGES, ids=["500", "503", "unreachable"])
def test_a_cognito_outage_on_login_is_503(app, client, code, status):
    require_route(app, "POST", "/auth/login")
    with AwsFaults() as faults:
        if code is None:
            faults.unreachable("cognito-idp")
        else:
            faults.fail("cognito-idp", code=code, status=status)
        response = client.post("/auth/login", json=VALID_BODIES[("POST", "/auth/login")]({}))
    assert_unavailable(response)
    assert faults.total_injected >= 1
    assert "Injected" not in response.get_data(as_text=True)
