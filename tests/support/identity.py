"""Callers for tests: authorizer claims in the WSGI environ, and real RS256 bearer tokens
whose JWKS a local HTTP server serves (PyJWT refuses `file://` URLs)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

TEST_CLIENT_ID = "test-client-id"
TEST_POOL_ID = "us-east-1_TestPool"


def authorizer_environ(sub: str, **claims: Any) -> dict[str, Any]:
    """What apig-wsgi puts in the environ behind an HTTP API JWT authorizer."""
    all_claims = {"sub": sub, "token_use": "access", "client_id": TEST_CLIENT_ID, **claims}
    return {"apig_wsgi.request_context": {"authorizer": {"jwt": {"claims": all_claims}}}}


def caller_of(app, sub: str, **claims: Any) -> dict[str, Any]:
    """The authorizer's environ for `sub` as the gateway in front of `app` would pass it:
    issued to the app's client, by the app's issuer when it has one (the app checks both)."""
    settings = app.extensions["lifestyle_api.settings"]
    issued = {"client_id": settings.cognito_client_id}
    if settings.jwt_issuer:
        issued["iss"] = settings.jwt_issuer
    return authorizer_environ(sub, **{**issued, **claims})


class SigningKey:
    def __init__(self, kid: str = "test-key") -> None:
        self.kid = kid
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def token(self, issuer: str, sub: str = "bearer-user", **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "sub": sub,
            "iss": issuer,
            "client_id": TEST_CLIENT_ID,
            "token_use": "access",
            "iat": now,
            "exp": now + 900,
            "username": sub,
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})


class JwksServer:
    """Serves `{"keys": [...]}` at `/.well-known/jwks.json` on loopback, counting the fetches.

    `hold_answers()` makes it keep each request waiting until `release_answers()` (or at
    most `HELD_AT_MOST` seconds, then it answers): a slow endpoint. `answered` counts the
    requests it has answered so far.
    """

    HELD_AT_MOST = 10

    def __init__(self, keys: list[SigningKey]) -> None:
        body = json.dumps({"keys": [key.jwk() for key in keys]}).encode()
        self.fetches = 0
        self.answered = 0
        self._released = threading.Event()
        self._released.set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.fetches += 1
                server._released.wait(timeout=server.HELD_AT_MOST)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    return  # the caller gave up waiting and closed the connection
                server.answered += 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def hold_answers(self) -> None:
        self._released.clear()

    def release_answers(self) -> None:
        self._released.set()

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def jwks_url(self) -> str:
        return f"{self.base_url}/.well-known/jwks.json"

    def __enter__(self) -> JwksServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release_answers()
        self.server.shutdown()
        self.server.server_close()
