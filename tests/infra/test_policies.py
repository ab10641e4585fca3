"""Every IAM policy the repository defines (root and bootstrap) cannot escalate and keeps each
environment to itself: no IAM write without a permissions boundary, no iam:PassRole or
sts:AssumeRole on a wildcard, no `service:*` or wildcard resource without an Environment
condition (except resources named after the environment and the reviewed calls AWS defines
on "*" only), and nothing in the dev roles that reaches a prod-named or prod-tagged resource,
with dev and prod in one account or in one account each. The pipeline's configuration
(terraform/) defines no IAM at all. Each rule is also shown to catch a broken copy."""

from __future__ import annotations

import pytest

from tests.infra.iam_checks import (
    ACCOUNT_ID,
    Statement,
    cross_environment_findings,
    escalation_findings,
    expand_action,
    iam_reference,
    iam_resource_findings,
    is_iam_write,
    names_environment,
    policy_statements,
    sample_arn,
    unknown_action_findings,
    wildcard_findings,
)
from tests.support.infra import TERRAFORM_DIR, TerraformModule, load_module, parse_hcl

BOOTSTRAP = TERRAFORM_DIR / "bootstrap"
ENVIRONMENTS = ("dev", "prod")
PROTECTED = ("prod",)
REPOSITORY = "owner/repo"

# Calls AWS defines on "*" only that a role here needs, each reviewed: none reads or changes
# another environment's resources.
ACCOUNT_WIDE = {
    "ecr:GetAuthorizationToken": "docker's login; pushes still need the repository's grant",
    "logs:DescribeLogGroups": "lists log group names",
    "logs:DescribeResourcePolicies": "lists the account's log resource policies",
    "logs:GetLogDelivery": "reads a log delivery",
    "logs:ListLogDeliveries": "lists log deliveries",
    "logs:CreateLogDelivery": "turns on the stage's access logs (delivered by CloudWatch Logs)",
    "logs:PutResourcePolicy": "lets API Gateway deliver access logs to a log group",
    "sns:GetSubscriptionAttributes": "reads a subscription of the alarm topic",
    "xray:PutTraceSegments": "the function's traces (X-Ray has no resource types)",
    "xray:PutTelemetryRecords": "the function's traces (X-Ray has no resource types)",
}
# Account-wide calls that could change another environment's settings: with dev and prod in
# one account, only the protected environments' roles may hold them.
ACCOUNT_WIDE_CHANGES = {
    "logs:UpdateLogDelivery": "changes any log delivery of the account",
    "logs:DeleteLogDelivery": "removes any log delivery of the account",
    "sns:Unsubscribe": "removes any subscription of the account (e.g. prod's alarm e-mail)",
}


def harmless_account_wide(env: str) -> dict[str, str]:
    """The account-wide calls a role may hold with other environments in its account."""
    return {**ACCOUNT_WIDE, **ACCOUNT_WIDE_CHANGES} if env in PROTECTED else ACCOUNT_WIDE


# Opaque ids another environment's resources could have: reached only without a tag condition.
OPAQUE_SAMPLES = (
    f"arn:aws:cognito-idp:us-east-1:{ACCOUNT_ID}:userpool/us-east-1_Other0000",
    "arn:aws:apigateway:us-east-1::/apis/other00000",
    "arn:aws:apigateway:us-east-1::/apis/other00000/routes/route00",
)

# The for_each expressions the checker does not evaluate, mirrored here (and pinned below).
PROTECTED_ONLY = "${setintersection(var.environments, var.protected_environments)}"
ACCOUNT_WIDE_CHANGE_ROLES = "${local.account_wide_changes}"


def present(environments: tuple[str, ...]) -> dict[str, set[str]]:
    shares_account = len(environments) > 1
    return {
        PROTECTED_ONLY: set(environments) & set(PROTECTED),
        ACCOUNT_WIDE_CHANGE_ROLES: {
            env for env in environments if not shares_account or env in PROTECTED
        },
    }


def statements_of(
    module: TerraformModule, env: str, environments: tuple[str, ...] = ENVIRONMENTS
) -> list[Statement]:
    return policy_statements(
        module,
        env,
        "bootstrap/",
        overrides={"environments": list(environments), "github_repository": REPOSITORY},
        present=present(environments),
    )


def resources_named_after(env: str, statements: list[Statement]) -> set[str]:
    """Concrete ARNs of the resources an environment's statements name after it (models and
    "*" are shared by every environment, not one's own)."""
    return {sample_arn(r) for s in statements for r in s.resources if names_environment(r, env)}


def all_findings(module: TerraformModule, environments: tuple[str, ...]) -> list[str]:
    findings = []
    for env in environments:
        mine = statements_of(module, env, environments)
        findings += unknown_action_findings(mine)
        findings += escalation_findings(mine)
        findings += wildcard_findings(mine, env, {**ACCOUNT_WIDE, **ACCOUNT_WIDE_CHANGES})
        for other in environments:
            if other == env:
                continue
            theirs = statements_of(module, other, environments)
            findings += cross_environment_findings(
                mine,
                env,
                [*resources_named_after(other, theirs), *OPAQUE_SAMPLES],
                harmless_account_wide(env),
            )
    return [str(finding) for finding in findings]


def bootstrap_with(edits: dict[str, tuple[str, str]]) -> TerraformModule:
    """The bootstrap with `old` replaced by `new` in the named files (a broken copy)."""
    module = TerraformModule()
    for path in sorted(BOOTSTRAP.glob("*.tf")):
        text = path.read_text()
        if path.name in edits:
            old, new = edits[path.name]
            assert old in text, f"{old!r} is no longer in {path.name}: update the broken copy"
            text = text.replace(old, new, 1)
        module.add(parse_hcl(text))
    return module


@pytest.fixture(scope="module")
def bootstrap() -> TerraformModule:
    return load_module(BOOTSTRAP)


# ---- the repository's policies -----------------------------------------------------------


def test_the_policies_are_read_whole(bootstrap):
    for env in ENVIRONMENTS:
        statements = statements_of(bootstrap, env)
        sids = {s.origin.rsplit("[", 1)[1].rstrip("]") for s in statements}
        assert {"Table", "Function", "PassLambdaRole", "UserPool", "HttpApi", "NeverIam"} <= sids
        assert {"CoachModel", "OwnLogs", "Tracing"} <= sids, "the function's role"
        assert all("${" not in r for s in statements for r in s.resources), "all resolved"
        assert all(f"-{env}" in r for s in statements if "Table" in s.origin for r in s.resources)


@pytest.mark.parametrize(
    "environments", [ENVIRONMENTS, ("dev",), ("prod",)], ids=["one-account", "dev", "prod"]
)
def test_no_policy_escalates_or_reaches_another_environment(bootstrap, environments):
    findings = all_findings(bootstrap, environments)

    assert not findings, "\n".join(findings)


def test_the_pipelines_configuration_defines_no_iam():
    root = load_module()

    assert not iam_resource_findings(root, "terraform/")
    assert not [s for env in ENVIRONMENTS for s in policy_statements(root, env, "terraform/")]


def test_the_for_each_expressions_mirrored_here_are_the_bootstraps(bootstrap):
    documents = bootstrap.data["aws_iam_policy_document"]

    assert documents["deploy_protected"]["for_each"] == PROTECTED_ONLY
    assert documents["deploy_account_wide_changes"]["for_each"] == ACCOUNT_WIDE_CHANGE_ROLES
    assert bootstrap.locals["shares_account"] == "${length(var.environments) > 1}"
    assert bootstrap.locals["account_wide_changes"] == (
        "${toset([for env in var.environments : env if !local.shares_account || "
        "contains(var.protected_environments, env)])}"
    )
    assert bootstrap.variables["protected_environments"]["default"] == list(PROTECTED)


def test_each_deploy_role_is_trusted_only_by_its_github_environment(bootstrap):
    for env in ENVIRONMENTS:
        (trust,) = [s for s in statements_of(bootstrap, env) if "deploy_trust" in s.origin]
        assert trust.actions == ("sts:AssumeRoleWithWebIdentity",)
        subjects = trust.condition_values("token.actions.githubusercontent.com:sub")
        assert subjects == {f"repo:{REPOSITORY}:environment:{env}"}
        assert not any(test == "StringLike" for test, _, _ in trust.conditions), "no wildcards"


def test_the_deploy_role_denies_every_iam_write_even_if_more_is_attached_later(bootstrap):
    (deny,) = [s for s in statements_of(bootstrap, "dev") if s.origin.endswith("[NeverIam]")]
    denied = {a for pattern in deny.actions for a in expand_action(pattern)}
    iam_writes = {
        f"iam:{name}"
        for name in iam_reference()["iam"]["privileges"]
        if is_iam_write(f"iam:{name}") and name != "PassRole"
    }

    assert deny.effect == "Deny"
    assert deny.resources == ("*",)
    assert iam_writes <= denied, sorted(iam_writes - denied)
    assert "sts:AssumeRole" in denied


def test_the_protected_environment_cannot_delete_its_data(bootstrap):
    prod = statements_of(bootstrap, "prod")
    dev = statements_of(bootstrap, "dev")

    (deny,) = [s for s in prod if s.origin.endswith("[NeverDeleteData]")]
    assert deny.effect == "Deny"
    assert {"dynamodb:DeleteTable", "cognito-idp:DeleteUserPool"} <= set(deny.actions)
    assert not [s for s in dev if s.origin.endswith("[NeverDeleteData]")]


def test_account_wide_changes_go_to_prod_only_when_the_account_is_shared(bootstrap):
    def changes(env, environments):
        return [
            s
            for s in statements_of(bootstrap, env, environments)
            if s.origin.endswith("[AccountWideChanges]")
        ]

    assert not changes("dev", ENVIRONMENTS)
    assert changes("prod", ENVIRONMENTS)
    assert changes("dev", ("dev",)), "an account of its own"


def test_the_reviewed_account_wide_calls_exist_only_on_star():
    from tests.infra.iam_checks import has_no_resource_type

    for action in {**ACCOUNT_WIDE, **ACCOUNT_WIDE_CHANGES}:
        assert expand_action(action) == {action}, action
        assert has_no_resource_type(action), f"{action} can be scoped: scope it"


# ---- every rule catches a broken copy ----------------------------------------------------


BROKEN_COPIES = {
    "an IAM write on the function's role": (
        {
            "deploy_role.tf": (
                'actions   = ["iam:GetRole"]',
                'actions   = ["iam:GetRole", "iam:PutRolePolicy"]',
            )
        },
        "IAM write without a permissions-boundary condition",
    ),
    "a wildcard IAM action": (
        {"deploy_role.tf": ('actions   = ["iam:GetRole"]', 'actions   = ["iam:*"]')},
        "IAM write without a permissions-boundary condition",
    ),
    "iam:PassRole on *": (
        {
            "deploy_role.tf": (
                'resources = ["${local.arn_prefix.iam}:role/${var.project}-${each.key}-lambda"]'
                "\n\n    condition",
                'resources = ["*"]\n\n    condition',
            )
        },
        "iam:PassRole on a wildcard",
    ),
    "iam:PassRole to any service": (
        {
            "deploy_role.tf": (
                'variable = "iam:PassedToService"',
                'variable = "iam:AssociatedResourceArn"',
            )
        },
        "iam:PassRole to any service",
    ),
    "sts:AssumeRole on *": (
        {
            "deploy_role.tf": (
                '"ecr:GetAuthorizationToken",',
                '"ecr:GetAuthorizationToken", "sts:AssumeRole",',
            )
        },
        "sts:AssumeRole on a wildcard",
    ),
    "a service-wide action": (
        {
            "deploy_role.tf": (
                '"dynamodb:CreateTable", "dynamodb:UpdateTable"',
                '"dynamodb:*", "dynamodb:UpdateTable"',
            )
        },
        "service-wide action",
    ),
    "a wildcard resource without a condition": (
        {
            "deploy_role.tf": (
                '"${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}/*",',
                '"${local.arn_prefix.dynamodb}:table/*",',
            )
        },
        "wildcard resource without an Environment condition",
    ),
    "user pools without the Environment tag condition": (
        {
            "deploy_role.tf": (
                '    resources = ["${local.arn_prefix.cognito}:userpool/*"]\n\n    condition {\n'
                '      test     = "StringEquals"\n'
                '      variable = "aws:ResourceTag/Environment"\n'
                "      values   = [each.key]\n    }\n  }",
                '    resources = ["${local.arn_prefix.cognito}:userpool/*"]\n  }',
            )
        },
        "wildcard resource without an Environment condition",
    ),
    "a prod-named resource in the dev role": (
        {
            "deploy_role.tf": (
                '"${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}",',
                '"${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}",\n'
                '      "${local.arn_prefix.dynamodb}:table/${var.project}-prod",',
            )
        },
        "reaches another environment's",
    ),
    "a prod-tagged condition in the dev role": (
        {
            "lambda_role.tf": (
                'variable = "aws:ResourceTag/Environment"\n      values   = [each.key]',
                'variable = "aws:ResourceTag/Environment"\n      values   = [each.key, "prod"]',
            )
        },
        "aws:ResourceTag/Environment other than",
    ),
    "a misspelt action": (
        {"deploy_role.tf": ('"lambda:PublishVersion"', '"lambda:PublishVersions"')},
        "unknown action",
    ),
}


@pytest.mark.parametrize("name", list(BROKEN_COPIES))
def test_each_rule_catches_a_broken_copy(name):
    edits, rule = BROKEN_COPIES[name]

    findings = all_findings(bootstrap_with(edits), ENVIRONMENTS)

    assert any(rule in finding for finding in findings), findings


def test_account_wide_changes_given_to_dev_in_a_shared_account_are_caught(bootstrap):
    dev = policy_statements(
        bootstrap,
        "dev",
        overrides={"environments": list(ENVIRONMENTS), "github_repository": REPOSITORY},
        present={**present(ENVIRONMENTS), ACCOUNT_WIDE_CHANGE_ROLES: set(ENVIRONMENTS)},
    )
    prod = statements_of(bootstrap, "prod")

    findings = cross_environment_findings(
        dev, "dev", [*resources_named_after("prod", prod), *OPAQUE_SAMPLES], ACCOUNT_WIDE
    )

    assert [f.origin for f in findings] == [
        "data.aws_iam_policy_document.deploy_account_wide_changes[AccountWideChanges]"
    ]


def test_iam_in_the_pipelines_configuration_is_caught():
    root = TerraformModule()
    root.add(
        parse_hcl(
            'resource "aws_iam_role_policy" "lambda" {\n'
            '  role   = "x"\n'
            "  policy = jsonencode({\n"
            '    Version = "2012-10-17"\n'
            '    Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }]\n'
            "  })\n"
            "}\n"
        )
    )

    assert [f.rule for f in iam_resource_findings(root, "terraform/")] == [
        "IAM resource in the pipeline's configuration"
    ]
    statements = policy_statements(root, "dev", "terraform/")
    assert statements[0].actions == ("iam:*",), "jsonencode policies are read too"
    assert any("IAM write" in f.rule for f in escalation_findings(statements))
    assert any("service-wide" in f.rule for f in wildcard_findings(statements, "dev", {}))


def test_json_text_policies_and_principals_are_read():
    module = TerraformModule()
    module.add(
        parse_hcl(
            'resource "aws_s3_bucket_policy" "x" {\n'
            '  bucket = "b"\n'
            '  policy = "{\\"Statement\\": [{\\"Effect\\": \\"Deny\\", \\"Principal\\": \\"*\\", '
            '\\"Action\\": \\"s3:*\\", \\"Resource\\": \\"*\\"}]}"\n'
            "}\n"
        )
    )

    (statement,) = policy_statements(module, "dev")

    assert statement.effect == "Deny"
    assert statement.has_principals
    assert not escalation_findings([statement]), "denies and resource policies grant nothing"
