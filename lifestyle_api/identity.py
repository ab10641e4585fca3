"""Who is calling (DESIGN.md "Who is calling").

1. Behind the HTTP API the JWT authorizer has verified the token: its claims are in the
   request context (payload 2.0 `authorizer.jwt.claims`, REST API `authorizer.claims`).
2. Without authorizer claims, a `Bearer` access token is verified here: RS256 against
   `JWKS_URL`, issuer `JWT_ISSUER`, expiry.
3. Otherwise 401. Nothing in the path, query or body ever names the caller.

Either way the claims are then checked alike before they are trusted: `token_use` is
`access`, `client_id` is `COGNITO_CLIENT_ID` (no client id configured: no caller is
trusted), and the issuer is `JWT_ISSUER` whenever one is configured (always on Lambda,
where the user pool is a required setting).

Public routes say so on their view (`@public`, `http.routes`); Terraform's routes are
checked against the same facts.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from flask import current_app, g, request

from .config import Settings
from .exceptions import ServiceUnavailable, Unauthorized
from .fields import is_valid_text
from .http.hooks import current_settings
from .http.routes import PUBLIC, facts_of
from .records import Record

BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="lifestyle-api"'}
JWKS_FETCH_TIMEOUT_SECONDS = 5


class Caller(Record):
    """The verified caller: the token's `sub`, its claims, and the raw token if one was sent."""

    sub: str
    claims: Mapping[str, Any]
    access_token: str | None = None


def authenticate_request() -> None:
    """`before_request` hook: sets `g.caller` or answers 401 for protected routes."""
    if request.method == "OPTIONS" or request.routing_exception is not None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if PUBLIC in facts_of(view, request.method):
        return
    g.caller = identify(request.environ, request.headers.get("Authorization"))


def current_caller() -> Caller:
    return g.caller


def identify(environ: Mapping[str, Any], authorization: str | None) -> Caller:
    token = _bearer_token(authorization)
    claims = authorizer_claims(environ)
    if claims is None:
        if token is None:
            raise Unauthorized(
                "Send a Cognito access token as 'Authorization: Bearer <token>'.",
                headers=dict(BEARER_CHALLENGE),
            )
        claims = verify_access_token(token)
    check_claims(claims, current_settings())
    return Caller(sub=str(claims["sub"]), claims=claims, access_token=token)


def authorizer_claims(environ: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Claims an API Gateway authorizer already verified, if any."""
    authorizer = (environ.get("apig_wsgi.request_context") or {}).get("authorizer") or {}
    claims = (authorizer.get("jwt") or {}).get("claims") or authorizer.get("claims")
    return claims or None


def _bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or not is_valid_text(token):
        return None
    return token.strip()


def check_claims(claims: Mapping[str, Any], settings: Settings) -> None:
    """401 unless the claims are an access token's, for this app client, from this issuer."""
    if not claims.get("sub"):
        raise Unauthorized("The token names no user.", headers=dict(BEARER_CHALLENGE))
    if claims.get("token_use") != "access":
        raise Unauthorized("Send an access token, not an ID token.", headers=dict(BEARER_CHALLENGE))
    if not settings.cognito_client_id or claims.get("client_id") != settings.cognito_client_id:
        raise Unauthorized(
            "The access token was issued to another client.", headers=dict(BEARER_CHALLENGE)
        )
    if settings.jwt_issuer and claims.get("iss") != settings.jwt_issuer:
        raise Unauthorized(
            "The access token was issued by another issuer.", headers=dict(BEARER_CHALLENGE)
        )


_jwk_clients: dict[str, Any] = {}
_jwk_clients_lock = threading.Lock()


def _jwk_client(jwks_url: str):
    """One `PyJWKClient` per JWKS URL, kept for the life of the (warm) container."""
    from jwt import PyJWKClient  # deferred: cryptography is costly at cold start

    with _jwk_clients_lock:
        client = _jwk_clients.get(jwks_url)
        if client is None:
            client = PyJWKClient(
                jwks_url, cache_keys=True, lifespan=3600, timeout=JWKS_FETCH_TIMEOUT_SECONDS
            )
            _jwk_clients[jwks_url] = client
        return client


def verify_access_token(token: str) -> Mapping[str, Any]:
    """Verify a Cognito access token with PyJWT; any defect is a 401."""
    import jwt

    settings = current_settings()
    # Fail closed: without an issuer, keys and app client to hold a token to, none passes.
    if not (settings.jwks_url and settings.jwt_issuer and settings.cognito_client_id):
        raise Unauthorized(
            "Bearer tokens are not accepted: no token issuer is configured.",
            headers=dict(BEARER_CHALLENGE),
        )
    try:
        signing_key = _jwk_client(settings.jwks_url).get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            signing_key.key,
            algorithms=["RS256"],
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "iss", "sub"], "verify_aud": False},
        )
    except jwt.PyJWKClientConnectionError as exc:
        raise ServiceUnavailable("The token keys cannot be fetched; try again shortly.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(
            "The access token is not valid.", headers=dict(BEARER_CHALLENGE)
        ) from exc
    return claims
