"""Cognito pieces the admin commands and the local run provision: a user pool and app client
(found by name, created when missing) and a confirmed user with a known password."""

from __future__ import annotations

from typing import Any

from lifestyle_api import aws

# Email is the username, as in the deployed pool; the app client has no secret and signs in
# with a password (USER_PASSWORD_AUTH) or a refresh token.
POOL_SETTINGS: dict[str, Any] = {
    "UsernameAttributes": ["email"],
    "AutoVerifiedAttributes": ["email"],
    "Policies": {
        "PasswordPolicy": {
            "MinimumLength": 8,
            "RequireUppercase": True,
            "RequireLowercase": True,
            "RequireNumbers": True,
            "RequireSymbols": True,
        }
    },
}
CLIENT_AUTH_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def client(region: str, endpoint_url: str | None = None):
    """The process's `cognito-idp` client, the one the app's own calls use."""
    return aws.client("cognito-idp", region, endpoint_url)


def ensure_user_pool(cognito, name: str) -> tuple[str, bool]:
    """The id of the user pool called `name`, created if there is none; and whether it was."""
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == name:
                return pool["Id"], False
    pool = cognito.create_user_pool(PoolName=name, **POOL_SETTINGS)["UserPool"]
    return pool["Id"], True


def ensure_app_client(cognito, pool_id: str, name: str) -> tuple[str, bool]:
    """The id of the pool's app client called `name`, created if there is none."""
    for page in cognito.get_paginator("list_user_pool_clients").paginate(
        UserPoolId=pool_id, MaxResults=60
    ):
        for app_client in page["UserPoolClients"]:
            if app_client["ClientName"] == name:
                return app_client["ClientId"], False
    created = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=name,
        GenerateSecret=False,
        ExplicitAuthFlows=CLIENT_AUTH_FLOWS,
    )["UserPoolClient"]
    return created["ClientId"], True


def ensure_user(cognito, pool_id: str, email: str, password: str, *, name: str) -> str:
    """A confirmed user `email` whose password is `password` (set again if it exists);
    returns the user's `sub`."""
    try:
        attributes = cognito.admin_get_user(UserPoolId=pool_id, Username=email)["UserAttributes"]
    except cognito.exceptions.UserNotFoundException:
        attributes = cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=email,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": name},
            ],
        )["User"]["Attributes"]
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=email, Password=password, Permanent=True
    )
    return next(a["Value"] for a in attributes if a["Name"] == "sub")
