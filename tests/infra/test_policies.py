"""Every IAM policy the repository defines (root and bootstrap) cannot escalate and keeps each
environment to itself: no IAM write without a permissions boundary, no iam:PassRole or
sts:AssumeRole on a wildcard, no `service:*` or wildcard resource without an Environment
condition (except resources named after the environment and the reviewed calls AWS defines
on "*" only), nothing in the dev roles that reaches a prod-named or prod-tagged resource,
and no role passed to a service other than the one it trusts, with dev and prod in one
account or in one account each. The roles EventBridge Scheduler assumes may only invoke the
function, and only for their own schedule group; the function's scheduler and push
permissions reach only its erasure group and its environment's platform applications; the
deploy role manages only its environment's schedule groups and passes the reminders
scheduler's role only to the scheduler. The pipeline's configuration (terraform/) defines no
IAM at all, and what left it is the bootstrap's. Each rule is also shown to catch a broken
copy."""

from __future__ import annotations

import pytest

from tests.infra.iam_checks import (
    ACCOUNT_ID,
    Finding,
    Statement,
    cross_environment_findings,
    escalation_findings,
    expand_action,
    iam_reference,
    iam_resource_findings,
    is_iam_write,
    names_environment,
    pass_role_findings,
    policy_statements,
    role_documents,
    role_trusts,
    sample_arn,
    unknown_action_findings,
    wildcard_findings,
)
from tests.support.infra import (
    TERRAFORM_DIR,
    TerraformModule,
    load_module,
    parse_hcl,
    parse_hcl_file,
)

BOOTSTRAP = TERRAFORM_DIR / "bootstrap"
ENVIRONMENTS = ("dev", "prod")
PROTECTED = ("prod",)
REPOSITORY = "owner/repo"
REGION = "us-east-1"
SCHEDULER = "scheduler.amazonaws.com"
SCHEDULER_ROLES = {"erasure_scheduler": "erasure", "reminders_scheduler": "reminders"}
# Platform applications each environment pushes through (push_platform_application_arns).
PUSH_APPLICATIONS = {
    env: [
        f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:app/APNS/lifestyle-api-{env}-ios",
        f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:app/GCM/lifestyle-api-{env}-android",
    ]
    for env in ENVIRONMENTS
}


def function_arn(env: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:lifestyle-api-{env}"


def live_alias_arn(env: str) -> str:
    """The `live` alias: what the API and the schedules invoke."""
    return f"{function_arn(env)}:live"


def role_arn(env: str, role: str) -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:role/lifestyle-api-{env}-{role}"


def schedule_group_arn(env: str, purpose: str) -> str:
    return f"arn:aws:scheduler:{REGION}:{ACCOUNT_ID}:schedule-group/lifestyle-api-{env}-{purpose}"


def schedules_arn(env: str, purpose: str) -> str:
    return f"arn:aws:scheduler:{REGION}:{ACCOUNT_ID}:schedule/lifestyle-api-{env}-{purpose}/*"


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
# So is the local that turns platform applications into their endpoints.
PUSH_ENDPOINTS = (
    "${{for env, arns in var.push_platform_application_arns : env => [for arn in arns : "
    '"${replace(arn, ":app/", ":endpoint/")}/*"]}}'
)


def push_endpoints(applications: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        env: [arn.replace(":app/", ":endpoint/") + "/*" for arn in arns]
        for env, arns in applications.items()
    }


def present(environments: tuple[str, ...]) -> dict[str, set[str]]:
    shares_account = len(environments) > 1
    return {
        PROTECTED_ONLY: set(environments) & set(PROTECTED),
        ACCOUNT_WIDE_CHANGE_ROLES: {
            env for env in environments if not shares_account or env in PROTECTED
        },
    }


def overrides(
    environments: tuple[str, ...], push: dict[str, list[str]] | None = None
) -> dict[str, object]:
    """The bootstrap's variables for an account holding `environments`; by default each of
    them pushes through applications of its own."""
    if push is None:
        push = {env: PUSH_APPLICATIONS[env] for env in environments}
    return {
        "environments": list(environments),
        "github_repository": REPOSITORY,
        "push_platform_application_arns": push,
    }


def statements_of(
    module: TerraformModule,
    env: str,
    environments: tuple[str, ...] = ENVIRONMENTS,
    push: dict[str, list[str]] | None = None,
) -> list[Statement]:
    variables = overrides(environments, push)
    return policy_statements(
        module,
        env,
        "bootstrap/",
        overrides=variables,
        present=present(environments),
        local_overrides={
            "push_endpoints": push_endpoints(variables["push_platform_application_arns"])
        },
    )


def of_role(module: TerraformModule, role: str, statements: list[Statement]) -> list[Statement]:
    """The statements that give `aws_iam_role.<role>` its permissions."""
    _, permissions = role_documents(module, role)
    return [s for s in statements if s.document in permissions]


def trust_of(module: TerraformModule, role: str, statements: list[Statement]) -> list[Statement]:
    trust, _ = role_documents(module, role)
    return [s for s in statements if s.document in trust]


def grants(statements: list[Statement], service: str = "") -> set[tuple[str, str]]:
    """(action, resource) pairs the Allow statements grant, of one service or all."""
    return {
        (action, resource)
        for s in statements
        if s.allows
        for pattern in s.actions
        for action in expand_action(pattern)
        if not service or action.startswith(f"{service}:")
        for resource in s.resources
    }


def scheduler_role_findings(
    module: TerraformModule, env: str, statements: list[Statement]
) -> list[Finding]:
    """A scheduler role that may do more than invoke `env`'s function, or that the scheduler
    may assume for schedules outside the role's own group or account."""
    findings = []
    for role, purpose in SCHEDULER_ROLES.items():
        granted = grants(of_role(module, role, statements))
        if granted != {("lambda:InvokeFunction", live_alias_arn(env))}:
            findings.append(Finding(role, "may do more than invoke the function", str(granted)))
        for trust in trust_of(module, role, statements):
            source_arns = trust.condition_values("aws:SourceArn", ("ArnEquals", "ArnLike"))
            if (
                trust.actions != ("sts:AssumeRole",)
                or trust.principals != (("Service", (SCHEDULER,)),)
                or trust.condition_values("aws:SourceAccount") != {ACCOUNT_ID}
                or source_arns != {schedule_group_arn(env, purpose)}
            ):
                findings.append(Finding(trust.origin, "not its schedule group's alone", role))
    return findings


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
        findings += pass_role_findings(
            mine, role_trusts(module, env, mine, overrides(environments))
        )
        findings += scheduler_role_findings(module, env, mine)
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
        assert {"PurgeSchedules", "PassTheSchedulerRole"} <= sids, "the function's erasure"
        assert {"CreateDeviceEndpoints", "PushToDeviceEndpoints"} <= sids, "the function's push"
        assert {"InvokeTheFunction"} <= sids, "the scheduler roles"
        assert {"ScheduleGroups", "ReminderSchedules", "PassSchedulerRole"} <= sids, "deploy"
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


def test_the_iam_that_left_the_pipelines_configuration_is_the_bootstraps_and_kept(bootstrap):
    removed = [
        block
        for path in sorted(TERRAFORM_DIR.glob("*.tf"))
        for block in parse_hcl_file(path).get("removed", [])
    ]
    addresses = {block["from"].removeprefix("${").removesuffix("}") for block in removed}

    assert {
        "aws_iam_role.erasure_scheduler",
        "aws_iam_role_policy.erasure_scheduler",
        "aws_iam_role_policy.lambda_erasure",
        "aws_iam_role.reminders_scheduler",
        "aws_iam_role_policy.reminders_scheduler",
        "aws_iam_role_policy.lambda_push",
    } <= addresses
    for address in addresses:
        type_, name = address.split(".")
        assert name in bootstrap.resources_of(type_), f"{address} is not the bootstrap's"
    assert all(block["lifecycle"] == [{"destroy": False}] for block in removed)


def test_the_main_configuration_finds_the_bootstraps_roles_by_their_names(bootstrap):
    root = load_module()
    looked_up = {
        name: body["name"].replace("${local.name}", "${var.project}-${each.key}")
        for name, body in root.data["aws_iam_role"].items()
    }

    assert looked_up == {
        name: bootstrap.resource("aws_iam_role", name)["name"]
        for name in ("lambda", "erasure_scheduler", "reminders_scheduler")
    }
    assert root.locals["name"] == "${var.project}-${var.environment}"
    assert bootstrap.outputs["scheduler_role_arns"]["value"]


def test_the_scheduler_roles_may_only_invoke_the_function_for_their_own_group(bootstrap):
    for env in ENVIRONMENTS:
        statements = statements_of(bootstrap, env)
        for role, purpose in SCHEDULER_ROLES.items():
            (trust,) = trust_of(bootstrap, role, statements)

            assert grants(of_role(bootstrap, role, statements)) == {
                ("lambda:InvokeFunction", live_alias_arn(env))
            }
            assert trust.principals == (("Service", (SCHEDULER,)),)
            assert trust.condition_values("aws:SourceAccount") == {ACCOUNT_ID}
            assert trust.condition_values("aws:SourceArn", ("ArnEquals",)) == {
                schedule_group_arn(env, purpose)
            }
        assert not scheduler_role_findings(bootstrap, env, statements)


def test_the_schedule_groups_the_trust_names_are_the_main_configurations():
    root = load_module()
    groups = {
        name: body["name"].replace("${local.name}", "lifestyle-api-dev")
        for name, body in root.resources_of("aws_scheduler_schedule_group").items()
    }
    schedules = root.resource("aws_scheduler_schedule", "reminders")

    assert groups == {
        "erasure": "${local.erasure_schedule_group}",
        "reminders": "lifestyle-api-dev-reminders",
    }
    assert root.locals["erasure_schedule_group"] == "${local.name}-erasure"
    assert schedules["group_name"] == "${aws_scheduler_schedule_group.reminders.name}"
    assert root.variables["project"]["default"] == "lifestyle-api"


def test_the_function_schedules_only_in_its_erasure_group_and_passes_only_that_role(bootstrap):
    for env in ENVIRONMENTS:
        function = of_role(bootstrap, "lambda", statements_of(bootstrap, env))
        (passing,) = [s for s in function if "iam:PassRole" in s.actions]

        assert grants(function, "scheduler") == {
            ("scheduler:CreateSchedule", schedules_arn(env, "erasure")),
            ("scheduler:DeleteSchedule", schedules_arn(env, "erasure")),
        }
        assert passing.resources == (role_arn(env, "erasure-scheduler"),)
        assert passing.condition_values("iam:PassedToService") == {SCHEDULER}
        assert grants(function, "iam") == {("iam:PassRole", role_arn(env, "erasure-scheduler"))}


def test_the_function_pushes_only_through_its_environments_applications(bootstrap):
    for env in ENVIRONMENTS:
        function = of_role(bootstrap, "lambda", statements_of(bootstrap, env))
        applications = PUSH_APPLICATIONS[env]
        endpoints = push_endpoints(PUSH_APPLICATIONS)[env]

        assert grants(function, "sns") == {
            *(("sns:CreatePlatformEndpoint", app) for app in applications),
            *(
                (action, endpoint)
                for action in ("sns:Publish", "sns:GetEndpointAttributes", "sns:DeleteEndpoint")
                for endpoint in endpoints
            ),
        }
        assert endpoints == [
            f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:endpoint/APNS/lifestyle-api-{env}-ios/*",
            f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:endpoint/GCM/lifestyle-api-{env}-android/*",
        ]


def test_an_environment_without_platform_applications_has_no_sns_permission(bootstrap):
    only_prod = {"prod": PUSH_APPLICATIONS["prod"]}

    dev = of_role(bootstrap, "lambda", statements_of(bootstrap, "dev", push=only_prod))
    prod = of_role(bootstrap, "lambda", statements_of(bootstrap, "prod", push=only_prod))
    unconfigured = of_role(bootstrap, "lambda", statements_of(bootstrap, "prod", push={}))

    assert not grants(dev, "sns")
    assert grants(prod, "sns")
    assert not grants(unconfigured, "sns")
    assert bootstrap.variables["push_platform_application_arns"]["default"] == {}


def test_the_push_endpoints_mirrored_here_are_the_bootstraps(bootstrap):
    assert bootstrap.locals["push_endpoints"] == PUSH_ENDPOINTS
    documents = bootstrap.data["aws_iam_policy_document"]
    assert documents["lambda_push"]["for_each"] == "${var.push_platform_application_arns}"


def test_the_deploy_role_passes_each_role_only_to_the_service_that_runs_it(bootstrap):
    for env in ENVIRONMENTS:
        deploy = of_role(bootstrap, "deploy", statements_of(bootstrap, env))
        passed = {
            role: s.condition_values("iam:PassedToService")
            for s in deploy
            if s.allows and "iam:PassRole" in s.actions
            for role in s.resources
        }

        assert passed == {
            role_arn(env, "lambda"): {"lambda.amazonaws.com"},
            role_arn(env, "reminders-scheduler"): {SCHEDULER},
        }, "the erasure scheduler's role is passed by the function only"


def test_the_deploy_role_manages_only_its_environments_schedule_groups(bootstrap):
    def actions_on(granted: set[tuple[str, str]], resource: str) -> set[str]:
        return {action for action, on in granted if on == resource}

    for env in ENVIRONMENTS:
        deploy = of_role(bootstrap, "deploy", statements_of(bootstrap, env))
        granted = grants(deploy, "scheduler")

        assert {resource for _, resource in granted} == {
            schedule_group_arn(env, "erasure"),
            schedule_group_arn(env, "reminders"),
            schedules_arn(env, "reminders"),
            schedules_arn(env, "erasure"),
        }
        assert actions_on(granted, schedules_arn(env, "reminders")) == {
            "scheduler:CreateSchedule",
            "scheduler:UpdateSchedule",
            "scheduler:DeleteSchedule",
            "scheduler:GetSchedule",
        }
        # The erasure group's schedules are the function's: the pipeline only deletes them,
        # as deleting their group does.
        assert actions_on(granted, schedules_arn(env, "erasure")) == {"scheduler:DeleteSchedule"}


def test_the_deploy_role_may_bound_lambdas_retries_of_the_scheduled_invocations(bootstrap):
    for env in ENVIRONMENTS:
        deploy = of_role(bootstrap, "deploy", statements_of(bootstrap, env))
        configures = {
            resource
            for action, resource in grants(deploy, "lambda")
            if action == "lambda:PutFunctionEventInvokeConfig"
        }

        assert function_arn(env) in configures
        assert any(live_alias_arn(env).startswith(resource.rstrip("*")) for resource in configures)
        assert all(resource.startswith(function_arn(env)) for resource in configures)


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
                'actions = ["iam:GetRole"]',
                'actions = ["iam:GetRole", "iam:PutRolePolicy"]',
            )
        },
        "IAM write without a permissions-boundary condition",
    ),
    "a wildcard IAM action": (
        {"deploy_role.tf": ('actions = ["iam:GetRole"]', 'actions = ["iam:*"]')},
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
    "a scheduler role that may do more than invoke the function": (
        {
            "scheduler_roles.tf": (
                'actions   = ["lambda:InvokeFunction"]',
                'actions   = ["lambda:InvokeFunction", "lambda:UpdateFunctionCode"]',
            )
        },
        "may do more than invoke the function",
    ),
    "a scheduler role any schedule of the account may use": (
        {
            "scheduler_roles.tf": (
                "schedule-group/${var.project}-${each.key}-erasure",
                "schedule-group/*",
            )
        },
        "not its schedule group's alone",
    ),
    "the reminders scheduler's role passed to Lambda": (
        {
            "deploy_role.tf": (
                'values   = ["scheduler.amazonaws.com"]',
                'values   = ["lambda.amazonaws.com"]',
            )
        },
        "iam:PassRole to a service the role does not trust",
    ),
    "the erasure scheduler's role passed to Lambda by the function": (
        {
            "lambda_role.tf": (
                'values   = ["scheduler.amazonaws.com"]',
                'values   = ["scheduler.amazonaws.com", "lambda.amazonaws.com"]',
            )
        },
        "iam:PassRole to a service the role does not trust",
    ),
    "a role passed that the bootstrap does not define": (
        {
            "deploy_role.tf": (
                '"${local.arn_prefix.iam}:role/${var.project}-${each.key}-reminders-scheduler"]',
                '"${local.arn_prefix.iam}:role/${var.project}-${each.key}-admin"]',
            )
        },
        "iam:PassRole of a role not defined here",
    ),
    "push to every endpoint of the account": (
        {
            "lambda_role.tf": (
                "resources = local.push_endpoints[each.key]",
                'resources = ["${local.arn_prefix.sns}:endpoint/*"]',
            )
        },
        "wildcard resource without an Environment condition",
    ),
    "schedules of every group": (
        {
            "deploy_role.tf": (
                ":schedule/${var.project}-${each.key}-reminders/*",
                ":schedule/*",
            )
        },
        "wildcard resource without an Environment condition",
    ),
    "prod's schedule group in the dev role": (
        {
            "deploy_role.tf": (
                '"${local.arn_prefix.scheduler}:schedule-group/${var.project}-${each.key}-erasure",',
                '"${local.arn_prefix.scheduler}:schedule-group/${var.project}-${each.key}-erasure",\n'
                '      "${local.arn_prefix.scheduler}:schedule-group/${var.project}-prod-erasure",',
            )
        },
        "reaches another environment's",
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
        overrides=overrides(ENVIRONMENTS),
        present={**present(ENVIRONMENTS), ACCOUNT_WIDE_CHANGE_ROLES: set(ENVIRONMENTS)},
        local_overrides={"push_endpoints": push_endpoints(PUSH_APPLICATIONS)},
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
