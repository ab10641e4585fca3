"""Everything a local run needs on its AWS endpoint, made idempotently: the table (and its
migrations), a Cognito user pool and app client found by name, SNS platform applications for
push (iOS and Android), the demo user, its data, and the settings that point the app at all
of it."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

import boto3
import jwt

from migrations_scripts import cognito, seed
from migrations_scripts.runner import MigrationRunner, discover

from .. import db
from ..db.table import create_table
from .emulator import LocalRunError

POOL_NAME = "lifestyle-local"
CLIENT_NAME = "lifestyle-local-web"
# Platform applications by name and SNS platform; the emulator needs no APNs or FCM
# credentials, and creating one again answers the same ARN.
PUSH_APPLICATIONS = {
    "ios": ("lifestyle-local-ios", "APNS_SANDBOX"),
    "android": ("lifestyle-local-android", "GCM"),
}


@dataclass(frozen=True)
class LocalSetup:
    """What `provision` made: the app's settings pointing at it, as the environment
    variables `config.Settings` reads, and the demo user."""

    settings: dict[str, str]
    demo_sub: str
    demo_email: str = seed.DEMO_EMAIL
    demo_password: str = seed.DEMO_PASSWORD

    def app_environment(self, cursor_secret: str | None = None) -> dict[str, str]:
        """The app's environment: the settings and a cursor secret (one for the whole run,
        so that cursors stay valid across code reloads)."""
        return {**self.settings, "CURSOR_SECRET": cursor_secret or secrets.token_urlsafe(32)}


def provision(
    endpoint: str,
    *,
    region: str,
    table_name: str,
    jwks_url: str | None = None,
    report: Callable[[str], None] = print,
) -> LocalSetup:
    """Make the table, user pool, app client and demo user exist on `endpoint` (reusing what
    is there) and check that the demo user's tokens verify against the JWKS the app will use."""
    db.configure(table_name, region, endpoint)
    report(f"table {table_name}: {'created' if create_table() else 'exists'}")
    MigrationRunner(discover(), report=lambda line: report(f"  {line}")).run()

    client = cognito.client(region, endpoint)
    pool_id, pool_created = cognito.ensure_user_pool(client, POOL_NAME)
    client_id, _ = cognito.ensure_app_client(client, pool_id, CLIENT_NAME)
    report(f"user pool {POOL_NAME}: {pool_id} ({'created' if pool_created else 'reused'})")
    sub = cognito.ensure_user(
        client, pool_id, seed.DEMO_EMAIL, seed.DEMO_PASSWORD, name=seed.DEMO_NAME
    )
    tokens = client.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": seed.DEMO_EMAIL, "PASSWORD": seed.DEMO_PASSWORD},
    )["AuthenticationResult"]
    jwks_url = jwks_url or f"{endpoint.rstrip('/')}/{pool_id}/.well-known/jwks.json"
    issuer = verified_issuer(tokens["AccessToken"], jwks_url)

    push_applications = ensure_push_applications(region, endpoint)
    report(f"push: SNS platform applications {', '.join(push_applications.values())}")

    result = seed.seed_demo(sub, email=seed.DEMO_EMAIL, report=lambda _line: None)
    report(f"demo data: {result.describe()}")
    settings = {
        "TABLE_NAME": table_name,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_ENDPOINT_URL": endpoint,
        "COGNITO_USER_POOL_ID": pool_id,
        "COGNITO_CLIENT_ID": client_id,
        "JWT_ISSUER": issuer,
        "JWKS_URL": jwks_url,
        "LOCAL_AUTO_CONFIRM": "true",
        "SNS_IOS_PLATFORM_APPLICATION_ARN": push_applications["ios"],
        "SNS_ANDROID_PLATFORM_APPLICATION_ARN": push_applications["android"],
    }
    return LocalSetup(settings, demo_sub=sub)


def ensure_push_applications(region: str, endpoint: str) -> dict[str, str]:
    """The SNS platform application ARN for each platform, on the emulator."""
    sns = boto3.client("sns", region_name=region, endpoint_url=endpoint)
    return {
        platform: sns.create_platform_application(Name=name, Platform=service, Attributes={})[
            "PlatformApplicationArn"
        ]
        for platform, (name, service) in PUSH_APPLICATIONS.items()
    }


def verified_issuer(access_token: str, jwks_url: str) -> str:
    """The `iss` the emulator writes in its tokens, once the token verifies against
    `jwks_url` as the app will verify it."""
    issuer = jwt.decode(access_token, options={"verify_signature": False})["iss"]
    try:
        key = jwt.PyJWKClient(jwks_url, timeout=5).get_signing_key_from_jwt(access_token)
        jwt.decode(access_token, key.key, algorithms=["RS256"], issuer=issuer)
    except jwt.PyJWTError as exc:
        raise LocalRunError(
            f"tokens of the local user pool do not verify against JWKS_URL={jwks_url} ({exc}); "
            "set JWKS_URL to where this endpoint serves the pool's keys"
        ) from exc
    return issuer
