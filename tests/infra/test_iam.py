"""The function's role (terraform/bootstrap/lambda_role.tf, one per environment) is least
privilege: the environment's table and its indexes, the Cognito calls that need IAM (the
ones a public app client cannot make) on the pool tagged with the environment, InvokeModel
on the configured models, its own logs; "*" only for X-Ray, which has no resource-level
permissions. Its two other policies, the second pass's schedules (test_erasure.py) and push
(test_reminders_infra.py), are checked with every other policy by test_policies.py."""

from __future__ import annotations

import re
from functools import cache

import botocore.session
import pytest

from tests.infra.iam_checks import role_documents
from tests.support.infra import REPO_ROOT, TERRAFORM_DIR, load_module

BOOTSTRAP = TERRAFORM_DIR / "bootstrap"
TABLE_ARN = "${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}"
APP_DIR = REPO_ROOT / "lifestyle_api"
METHOD_CALL = re.compile(r"\.([a-z_]+)\(")
# Called only with LOCAL_AUTO_CONFIRM (local runs on the emulator), never on AWS.
LOCAL_ONLY_COGNITO_CALLS = frozenset({"admin_confirm_sign_up"})
# Operations a public app client makes with its client id or the user's own token: no IAM.
PUBLIC_CLIENT_CALLS = frozenset(
    {
        "sign_up",
        "confirm_sign_up",
        "resend_confirmation_code",
        "initiate_auth",
        "respond_to_auth_challenge",
        "global_sign_out",
        "forgot_password",
        "confirm_forgot_password",
        "get_user",
        "revoke_token",
        "change_password",
        "delete_user",
        "update_user_attributes",
    }
)


@cache
def cognito_operations() -> dict[str, str]:
    """Every cognito-idp operation botocore knows, by its boto3 method name."""
    model = botocore.session.get_session().get_service_model("cognito-idp")
    return {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): name for name in model.operation_names}


@pytest.fixture(scope="module")
def statements() -> dict[str, dict]:
    document = load_module(BOOTSTRAP).data["aws_iam_policy_document"]["lambda"]
    return {statement["sid"]: statement for statement in document["statement"]}


def test_the_role_is_for_lambda_and_carries_only_its_three_policies():
    module = load_module(BOOTSTRAP)
    trust = module.data["aws_iam_policy_document"]["lambda_assume"]["statement"][0]
    role = module.resource("aws_iam_role", "lambda")

    assert trust["actions"] == ["sts:AssumeRole"]
    assert trust["principals"] == [{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}]
    assert role["for_each"] == "${var.environments}"
    # The name the main configuration looks the role up by (lambda.tf).
    assert role["name"] == "${var.project}-${each.key}-lambda"
    assert load_module().data["aws_iam_role"]["lambda"]["name"] == "${local.name}-lambda"
    assert load_module().locals["name"] == "${var.project}-${var.environment}"
    assert module.resource("aws_iam_role_policy", "lambda")["policy"] == (
        "${data.aws_iam_policy_document.lambda[each.key].json}"
    )
    assert role_documents(module, "lambda") == (
        {"lambda_assume"},
        {"lambda", "lambda_erasure", "lambda_push"},
    )
    assert "aws_iam_role_policy_attachment" not in module.resources


def test_statements_allow_and_nothing_else(statements):
    assert set(statements) == {
        "Table",
        "TableIndexes",
        "UserPool",
        "CoachModel",
        "OwnLogs",
        "Tracing",
    }
    for sid, statement in statements.items():
        assert statement.get("effect", "Allow") == "Allow", sid
        assert all("*" not in action for action in statement["actions"]), sid


def test_only_tracing_uses_a_wildcard_resource(statements):
    for sid, statement in statements.items():
        if sid == "Tracing":
            assert statement["resources"] == ["*"]
            assert statement["actions"] == ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        else:
            assert "*" not in statement["resources"], sid


def test_data_access_is_the_table_and_its_indexes_only(statements):
    assert statements["Table"]["resources"] == [TABLE_ARN]
    assert statements["TableIndexes"]["resources"] == [f"{TABLE_ARN}/index/*"]
    assert statements["TableIndexes"]["actions"] == ["dynamodb:Query"]
    actions = set(statements["Table"]["actions"])
    assert {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"} <= (
        actions
    )
    assert "dynamodb:Scan" not in actions, "request paths never scan"
    assert not actions & {"dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:UpdateTable"}


def test_cognito_grants_only_the_calls_the_app_makes_that_need_iam(statements):
    """Sign-up, confirm, login, refresh, logout, forgot/reset password and GetUser are public
    Cognito APIs (client id or the user's own token): they need no IAM permission.
    AdminConfirmSignUp is for local runs only and is not granted."""
    cognito = [
        action
        for statement in statements.values()
        for action in statement["actions"]
        if action.startswith("cognito-idp:")
    ]

    assert cognito == ["cognito-idp:AdminDeleteUser", "cognito-idp:DescribeUserPool"]
    # Pool ids are generated: the environment's pool is the one carrying its tag.
    assert statements["UserPool"]["resources"] == ["${local.arn_prefix.cognito}:userpool/*"]
    assert statements["UserPool"]["condition"] == [
        {
            "test": "StringEquals",
            "variable": "aws:ResourceTag/Environment",
            "values": ["${each.key}"],
        }
    ]


def test_bedrock_invokes_only_the_configured_models(statements):
    bootstrap = load_module(BOOTSTRAP)
    root = load_module()
    allowed = bootstrap.variables["coach_model_arns"]["default"]
    region = root.variables["aws_region"]["default"]
    model = root.variables["bedrock_model_id"]["default"]

    assert statements["CoachModel"]["actions"] == ["bedrock:InvokeModel"]
    assert statements["CoachModel"]["resources"] == "${var.coach_model_arns}"
    # The main configuration's model is one the role may invoke, in its region.
    assert f"arn:aws:bedrock:{region}::foundation-model/{model}" in allowed


def test_logs_go_only_to_the_functions_own_log_group(statements):
    module = load_module()

    assert statements["OwnLogs"]["resources"] == [
        "${local.arn_prefix.logs}:log-group:/aws/lambda/${var.project}-${each.key}:*"
    ]
    assert module.resource("aws_cloudwatch_log_group", "lambda")["name"] == (
        "/aws/lambda/${local.name}"
    )


def cognito_iam_calls(source: str) -> set[str]:
    """The Cognito calls in a module's source that need IAM: every cognito-idp operation
    except those a public app client makes."""
    calls = set(METHOD_CALL.findall(source)) & set(cognito_operations())
    return calls - PUBLIC_CLIENT_CALLS


def iam_action(call: str) -> str:
    return "cognito-idp:" + cognito_operations()[call]


def test_iam_calls_are_found_and_named_as_iam_actions():
    source = (
        "client.admin_delete_user(UserPoolId=p, Username=u)\nclient.sign_up(**kw)\n"
        "client.describe_user_pool(UserPoolId=p)\n"
    )

    assert cognito_iam_calls(source) == {"admin_delete_user", "describe_user_pool"}
    assert iam_action("admin_delete_user") == "cognito-idp:AdminDeleteUser"
    assert iam_action("admin_user_global_sign_out") == "cognito-idp:AdminUserGlobalSignOut"


def test_every_cognito_call_that_needs_iam_is_granted(statements):
    calls: set[str] = set()
    for path in APP_DIR.rglob("*.py"):
        if any(part.startswith("local") for part in path.relative_to(APP_DIR).parts):
            continue  # the local run's emulator setup
        calls |= cognito_iam_calls(path.read_text())
    granted = {
        action
        for statement in statements.values()
        for action in statement["actions"]
        if action.startswith("cognito-idp:")
    }

    missing = {iam_action(call) for call in calls - LOCAL_ONLY_COGNITO_CALLS} - granted
    assert not missing, f"grant these in terraform/bootstrap/lambda_role.tf: {sorted(missing)}"
