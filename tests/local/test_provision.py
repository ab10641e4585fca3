"""What a local run provisions on its endpoint: reused by name, idempotent, and settings the
app accepts the demo user's tokens with."""

from __future__ import annotations

import boto3
import pytest

from lifestyle_api import create_app
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.local.emulator import EmbeddedEmulator, LocalRunError, check_endpoint
from lifestyle_api.local.provision import POOL_NAME, provision
from migrations_scripts.seed import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.aws import TEST_REGION
from tests.support.emulator import closed_endpoint, moto_server


@pytest.fixture
def endpoint():
    with moto_server() as url:
        yield url


def test_provisioning_twice_reuses_everything_and_the_app_accepts_the_demo_user(
    endpoint, monkeypatch
):
    lines: list[str] = []
    first = provision(endpoint, region=TEST_REGION, table_name="local-a", report=lines.append)
    count = TableItem.count(user_pk(first.demo_sub))

    setup = provision(endpoint, region=TEST_REGION, table_name="local-a", report=lines.append)

    pool_id, client_id = setup.settings["COGNITO_USER_POOL_ID"], setup.settings["COGNITO_CLIENT_ID"]
    assert (pool_id, client_id, setup.demo_sub) == (
        first.settings["COGNITO_USER_POOL_ID"],
        first.settings["COGNITO_CLIENT_ID"],
        first.demo_sub,
    )
    cognito = boto3.client("cognito-idp", region_name=TEST_REGION, endpoint_url=endpoint)
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    assert [p["Id"] for p in pools if p["Name"] == POOL_NAME] == [
        first.settings["COGNITO_USER_POOL_ID"]
    ]
    assert len(cognito.list_users(UserPoolId=first.settings["COGNITO_USER_POOL_ID"])["Users"]) == 1
    assert TableItem.count(user_pk(first.demo_sub)) == count > 300
    assert lines[0] == "table local-a: created"
    assert "table local-a: exists" in lines
    assert f"user pool {POOL_NAME}: {first.settings['COGNITO_USER_POOL_ID']} (reused)" in lines

    environment = setup.app_environment("a-cursor-secret")
    assert environment == {
        "TABLE_NAME": "local-a",
        "AWS_REGION": TEST_REGION,
        "AWS_DEFAULT_REGION": TEST_REGION,
        "AWS_ENDPOINT_URL": endpoint,
        "COGNITO_USER_POOL_ID": pool_id,
        "COGNITO_CLIENT_ID": client_id,
        "JWT_ISSUER": f"https://cognito-idp.{TEST_REGION}.amazonaws.com/{pool_id}",
        "JWKS_URL": f"{endpoint}/{pool_id}/.well-known/jwks.json",
        "LOCAL_AUTO_CONFIRM": "true",
        "CURSOR_SECRET": "a-cursor-secret",
        "SNS_IOS_PLATFORM_APPLICATION_ARN": (
            f"arn:aws:sns:{TEST_REGION}:123456789012:app/APNS_SANDBOX/lifestyle-local-ios"
        ),
        "SNS_ANDROID_PLATFORM_APPLICATION_ARN": (
            f"arn:aws:sns:{TEST_REGION}:123456789012:app/GCM/lifestyle-local-android"
        ),
    }
    push_settings = ("SNS_IOS_PLATFORM_APPLICATION_ARN", "SNS_ANDROID_PLATFORM_APPLICATION_ARN")
    assert [setup.settings[name] for name in push_settings] == [
        first.settings[name] for name in push_settings
    ]
    token = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": DEMO_EMAIL, "PASSWORD": DEMO_PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = create_app().test_client()
    response = client.get("/goals?limit=100", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert len(response.json["items"]) == 9


def test_the_embedded_emulator_serves_until_stopped():
    emulator = EmbeddedEmulator("127.0.0.1", 0)
    url = emulator.start()
    try:
        dynamodb = boto3.client("dynamodb", region_name=TEST_REGION, endpoint_url=url)
        assert "TableNames" in dynamodb.list_tables()
        check_endpoint(url, TEST_REGION)
    finally:
        emulator.stop()
    with pytest.raises(LocalRunError, match=r"^cannot reach AWS_ENDPOINT_URL="):
        check_endpoint(url, TEST_REGION)


def test_an_endpoint_that_is_not_a_url_is_refused():
    with pytest.raises(LocalRunError, match=r"^AWS_ENDPOINT_URL=localhost:4566 is not an http"):
        check_endpoint("localhost:4566", TEST_REGION)
    with pytest.raises(LocalRunError, match=r"^cannot reach"):
        check_endpoint(closed_endpoint(), TEST_REGION)
