"""What SNS's answers mean to the push (lifestyle_api.notifications.push): a disabled
endpoint or a refused token is `PushRejected` (the device goes); anything else is
`PushFailed` (a later pass retries); and the message each platform receives."""

from __future__ import annotations

import json

import pytest
from botocore.stub import Stubber

from lifestyle_api.config import Settings
from lifestyle_api.notifications.push import PushFailed, PushGateway, PushMessage, PushRejected
from tests.support.faults import AwsFaults

IOS_APP = "arn:aws:sns:us-east-1:123456789012:app/APNS/lifestyle"
ENDPOINT = "arn:aws:sns:us-east-1:123456789012:endpoint/APNS/lifestyle/abc"
MESSAGE = PushMessage("01J00000000000000000000000", "reminder", "Walk", "Time to walk.", None)


@pytest.fixture
def gateway():
    return PushGateway(Settings(sns_ios_platform_application_arn=IOS_APP))


@pytest.fixture
def sns(gateway):
    with Stubber(gateway._sns) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_only_platforms_with_an_application_are_pushed_to(gateway):
    assert gateway.handles("ios")
    assert not gateway.handles("android")


def test_a_disabled_endpoint_rejects_the_token(gateway, sns):
    sns.add_client_error("publish", "EndpointDisabled", http_status_code=400)

    with pytest.raises(PushRejected):
        gateway.publish(ENDPOINT, MESSAGE)


@pytest.mark.parametrize(("enabled", "outcome"), [("false", PushRejected), ("true", PushFailed)])
def test_an_invalid_parameter_rejects_the_token_only_when_the_endpoint_is_disabled(
    gateway, sns, enabled, outcome
):
    sns.add_client_error("publish", "InvalidParameter", http_status_code=400)
    sns.add_response(
        "get_endpoint_attributes",
        {"Attributes": {"Enabled": enabled, "Token": "ab"}},
        {"EndpointArn": ENDPOINT},
    )

    with pytest.raises(outcome):
        gateway.publish(ENDPOINT, MESSAGE)


def test_an_endpoint_deleted_outside_the_app_is_made_again_later(gateway, sns):
    sns.add_client_error("publish", "NotFound", http_status_code=404)

    with pytest.raises(PushFailed) as failure:
        gateway.publish(ENDPOINT, MESSAGE)

    assert failure.value.endpoint_gone


@pytest.mark.parametrize("code", ["Throttling", "InternalError", "KMSThrottling"])
def test_other_errors_are_retried_later(gateway, sns, code):
    sns.add_client_error("publish", code, http_status_code=500)

    with pytest.raises(PushFailed) as failure:
        gateway.publish(ENDPOINT, MESSAGE)

    assert not failure.value.endpoint_gone


def test_an_unreachable_sns_is_retried_later(gateway):
    with AwsFaults() as faults:
        faults.unreachable("sns", "Publish")
        with pytest.raises(PushFailed):
            gateway.publish(ENDPOINT, MESSAGE)


def test_an_answer_that_is_not_snss_is_retried_later(gateway):
    with AwsFaults() as faults:
        # A JSON error where SNS answers XML: botocore cannot parse it.
        faults.fail("sns", "Publish", code="InternalFailure", status=500)
        with pytest.raises(PushFailed):
            gateway.publish(ENDPOINT, MESSAGE)
        faults.fail("sns", "CreatePlatformEndpoint", code="InternalFailure", status=500)
        with pytest.raises(PushFailed):
            gateway.create_endpoint("ios", "ab" * 32)


def test_a_token_sns_refuses_to_make_an_endpoint_for_is_rejected(gateway, sns):
    sns.add_client_error("create_platform_endpoint", "InvalidParameter", http_status_code=400)

    with pytest.raises(PushRejected):
        gateway.create_endpoint("ios", "not-a-token")


def test_a_failure_to_make_an_endpoint_is_retried_later(gateway, sns):
    sns.add_client_error("create_platform_endpoint", "InternalError", http_status_code=500)

    with pytest.raises(PushFailed):
        gateway.create_endpoint("ios", "ab" * 32)


def test_deleting_an_endpoint_is_best_effort(gateway, sns):
    sns.add_client_error("delete_endpoint", "InternalError", http_status_code=500)

    gateway.delete_endpoint(ENDPOINT)


def test_each_platform_gets_its_own_payload():
    message = json.loads(
        PushMessage(
            "01J00000000000000000000000", "streak_at_risk", "Keep going", "Body", "01G"
        ).sns_message()
    )

    assert message["default"] == "Body"
    apns = json.loads(message["APNS"])
    assert apns["aps"]["alert"] == {"title": "Keep going", "body": "Body"}
    assert (apns["kind"], apns["goalId"]) == ("streak_at_risk", "01G")
    assert message["APNS_SANDBOX"] == message["APNS"]
    fcm = json.loads(message["GCM"])
    assert fcm["notification"] == {"title": "Keep going", "body": "Body"}
    assert fcm["data"] == {
        "notificationId": "01J00000000000000000000000",
        "kind": "streak_at_risk",
        "goalId": "01G",
    }
    without_goal = json.loads(json.loads(MESSAGE.sns_message())["GCM"])
    assert without_goal["data"]["goalId"] == ""
