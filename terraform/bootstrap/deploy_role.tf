# GitHub Actions deploys through OIDC: no long-lived keys. Each environment has its own
# role, assumable only by jobs of this repository that run in the GitHub environment of
# the same name (deploy.yml sets `environment:`), and allowed only that environment's
# resources: by name (<project>-<env>…) where ARNs carry names, by the Environment tag
# where they are opaque (user pools, HTTP APIs). It never writes IAM: it may read the roles
# the main configuration looks up by name, pass the function's role (lambda_role.tf) to
# Lambda and the reminders scheduler's role (scheduler_roles.tf) to EventBridge Scheduler,
# and an explicit deny keeps IAM writes out even if someone attaches a broader policy to it
# later.
# tests/infra/test_policies.py reads every statement here.
locals {
  github_oidc_host = "token.actions.githubusercontent.com"
  github_oidc_arn = (var.create_oidc_provider
    ? aws_iam_openid_connect_provider.github[0].arn
    : "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.github_oidc_host}"
  )
  # With dev and prod in one account, the few account-wide calls that could change another
  # environment's settings (log deliveries, alarm subscriptions) are left to the protected
  # environments' roles; in an account of its own, an environment's role has them all.
  shares_account = length(var.environments) > 1
  account_wide_changes = toset([
    for env in var.environments : env
    if !local.shares_account || contains(var.protected_environments, env)
  ])
}

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_oidc_provider ? 1 : 0
  url            = "https://${local.github_oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "deploy_trust" {
  for_each = var.environments

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = ["repo:${var.github_repository}:environment:${each.key}"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  for_each             = var.environments
  name                 = "${var.project}-${each.key}-deploy"
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust[each.key].json
  max_session_duration = 3600
  tags                 = { Environment = each.key }
}

data "aws_iam_policy_document" "deploy" {
  #checkov:skip=CKV_AWS_107:ecr:GetAuthorizationToken is how docker logs in to push the image; AWS defines it on "*" only.
  #checkov:skip=CKV_AWS_111:Every write names the environment's resources or requires their Environment tag; the calls AWS defines on "*" only are listed one by one (statements AccountWide*).
  #checkov:skip=CKV_AWS_356:"*" only for the calls AWS defines on "*" (ECR login, log delivery for the API's access logs, creating a user pool tagged with the environment), and in denies.
  for_each = var.environments

  statement {
    sid       = "TerraformStateBucket"
    actions   = ["s3:ListBucket"]
    resources = ["${local.arn_prefix.s3}${var.state_bucket_prefix}-${each.key}"]
  }

  statement {
    sid       = "TerraformStateObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.arn_prefix.s3}${var.state_bucket_prefix}-${each.key}/*"]
  }

  # The table's life cycle (Terraform) and its items (python -m migrations_scripts migrate).
  statement {
    sid = "Table"
    actions = [
      "dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable",
      "dynamodb:Describe*", "dynamodb:List*", "dynamodb:GetResourcePolicy",
      "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTimeToLive",
      "dynamodb:TagResource", "dynamodb:UntagResource",
      "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
      "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
    ]
    resources = [
      "${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}",
      "${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}/*",
    ]
  }

  # The function, its published versions and the `live` alias (the smoke test moves the
  # alias back when a release fails), and Lambda's retries of the scheduler's asynchronous
  # invocations (reminders.tf).
  statement {
    sid = "Function"
    actions = [
      "lambda:CreateFunction", "lambda:DeleteFunction",
      "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:PublishVersion",
      "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency",
      "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:DeleteAlias",
      "lambda:PutFunctionEventInvokeConfig", "lambda:UpdateFunctionEventInvokeConfig",
      "lambda:DeleteFunctionEventInvokeConfig",
      "lambda:TagResource", "lambda:UntagResource", "lambda:Get*", "lambda:List*",
    ]
    resources = [
      "${local.arn_prefix.lambda}:function:${var.project}-${each.key}",
      "${local.arn_prefix.lambda}:function:${var.project}-${each.key}:*",
    ]
  }

  # Only API Gateway may be allowed to invoke the function.
  statement {
    sid     = "FunctionInvokePermission"
    actions = ["lambda:AddPermission", "lambda:RemovePermission"]
    resources = [
      "${local.arn_prefix.lambda}:function:${var.project}-${each.key}",
      "${local.arn_prefix.lambda}:function:${var.project}-${each.key}:*",
    ]

    condition {
      test     = "StringEquals"
      variable = "lambda:Principal"
      values   = ["apigateway.amazonaws.com"]
    }
  }

  # The roles the main configuration reads by name (data "aws_iam_role").
  statement {
    sid     = "ReadRoles"
    actions = ["iam:GetRole"]
    resources = [
      "${local.arn_prefix.iam}:role/${var.project}-${each.key}-lambda",
      "${local.arn_prefix.iam}:role/${var.project}-${each.key}-erasure-scheduler",
      "${local.arn_prefix.iam}:role/${var.project}-${each.key}-reminders-scheduler",
    ]
  }

  statement {
    sid       = "PassLambdaRole"
    actions   = ["iam:PassRole"]
    resources = ["${local.arn_prefix.iam}:role/${var.project}-${each.key}-lambda"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com"]
    }
  }

  # The reminders schedules name their role. The erasure scheduler's role is passed by the
  # function when it creates a second pass's schedule, never by the pipeline.
  statement {
    sid       = "PassSchedulerRole"
    actions   = ["iam:PassRole"]
    resources = ["${local.arn_prefix.iam}:role/${var.project}-${each.key}-reminders-scheduler"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["scheduler.amazonaws.com"]
    }
  }

  statement {
    sid = "ImageRepository"
    actions = [
      "ecr:CreateRepository", "ecr:DeleteRepository", "ecr:Describe*", "ecr:List*",
      "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:GetDownloadUrlForLayer",
      "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability",
      "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
      "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy",
      "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability",
      "ecr:SetRepositoryPolicy", "ecr:TagResource", "ecr:UntagResource",
    ]
    resources = ["${local.arn_prefix.ecr}:repository/${var.project}-${each.key}"]
  }

  # User pool ids are generated: a pool is created only tagged with the environment, and
  # only pools carrying that tag can be read or changed. The tag itself cannot be changed.
  statement {
    sid       = "UserPoolCreate"
    actions   = ["cognito-idp:CreateUserPool"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid = "UserPool"
    actions = [
      "cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool", "cognito-idp:DeleteUserPool",
      "cognito-idp:GetUserPoolMfaConfig", "cognito-idp:SetUserPoolMfaConfig",
      "cognito-idp:CreateUserPoolClient", "cognito-idp:DescribeUserPoolClient",
      "cognito-idp:UpdateUserPoolClient", "cognito-idp:DeleteUserPoolClient",
      "cognito-idp:ListTagsForResource",
    ]
    resources = ["${local.arn_prefix.cognito}:userpool/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "UserPoolTags"
    actions   = ["cognito-idp:TagResource", "cognito-idp:UntagResource"]
    resources = ["${local.arn_prefix.cognito}:userpool/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }

    condition {
      test     = "ForAllValues:StringNotEquals"
      variable = "aws:TagKeys"
      values   = ["Environment"]
    }
  }

  # HTTP API ids are generated too: created only tagged with the environment; the API and
  # everything under it (routes, integrations, authorizer, stage) only with that tag.
  statement {
    sid       = "HttpApiCreate"
    actions   = ["apigateway:POST"]
    resources = ["${local.arn_prefix.apigateway}:/apis"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "HttpApi"
    actions   = ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"]
    resources = ["${local.arn_prefix.apigateway}:/apis/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }

  # EventBridge Scheduler: the environment's two schedule groups (erasure.tf, reminders.tf)
  # and the reminders schedules. The erasure group's schedules are the function's; the
  # pipeline may only delete them, which deleting their group does.
  statement {
    sid = "ScheduleGroups"
    actions = [
      "scheduler:CreateScheduleGroup", "scheduler:DeleteScheduleGroup", "scheduler:GetScheduleGroup",
      "scheduler:TagResource", "scheduler:UntagResource", "scheduler:ListTagsForResource",
    ]
    resources = [
      "${local.arn_prefix.scheduler}:schedule-group/${var.project}-${each.key}-erasure",
      "${local.arn_prefix.scheduler}:schedule-group/${var.project}-${each.key}-reminders",
    ]
  }

  statement {
    sid = "ReminderSchedules"
    actions = [
      "scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule",
      "scheduler:GetSchedule",
    ]
    resources = ["${local.arn_prefix.scheduler}:schedule/${var.project}-${each.key}-reminders/*"]
  }

  statement {
    sid       = "ErasureScheduleGroupDeletion"
    actions   = ["scheduler:DeleteSchedule"]
    resources = ["${local.arn_prefix.scheduler}:schedule/${var.project}-${each.key}-erasure/*"]
  }

  statement {
    sid = "LogGroups"
    actions = [
      "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy",
      "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource",
      "logs:TagLogGroup", "logs:UntagLogGroup", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
    ]
    resources = [
      "${local.arn_prefix.logs}:log-group:/aws/lambda/${var.project}-${each.key}",
      "${local.arn_prefix.logs}:log-group:/aws/lambda/${var.project}-${each.key}:*",
      "${local.arn_prefix.logs}:log-group:/aws/apigateway/${var.project}-${each.key}",
      "${local.arn_prefix.logs}:log-group:/aws/apigateway/${var.project}-${each.key}:*",
    ]
  }

  statement {
    sid = "Alarms"
    actions = [
      "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms",
      "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource",
    ]
    resources = ["${local.arn_prefix.cloudwatch}:alarm:${var.project}-${each.key}-*"]
  }

  statement {
    sid = "AlarmTopic"
    actions = [
      "sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes",
      "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:TagResource", "sns:UntagResource",
      "sns:ListTagsForResource",
    ]
    resources = ["${local.arn_prefix.sns}:${var.project}-${each.key}-alarms"]
  }

  # Calls AWS defines on "*" only, each needed and none able to read or change another
  # environment's resources: ECR login, reading log deliveries and subscriptions, and
  # turning on the stage's access logs (API Gateway delivers them through CloudWatch Logs).
  statement {
    sid = "AccountWide"
    actions = [
      "ecr:GetAuthorizationToken",
      "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery", "logs:ListLogDeliveries",
      "logs:CreateLogDelivery", "logs:PutResourcePolicy",
      "sns:GetSubscriptionAttributes",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "NeverIam"
    effect = "Deny"
    actions = [
      "iam:Add*", "iam:Attach*", "iam:Change*", "iam:Create*", "iam:Deactivate*", "iam:Delete*",
      "iam:Detach*", "iam:Disable*", "iam:Enable*", "iam:Put*", "iam:Remove*", "iam:Reset*", "iam:Resync*",
      "iam:Set*", "iam:Tag*", "iam:Untag*", "iam:Update*", "iam:Upload*",
      "sts:AssumeRole",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "deploy" {
  for_each = var.environments
  name     = "deploy"
  role     = aws_iam_role.deploy[each.key].id
  policy   = data.aws_iam_policy_document.deploy[each.key].json
}

# Account-wide calls that could change another environment's settings: only where the
# environment has the account to itself, or for the protected environments (prod).
data "aws_iam_policy_document" "deploy_account_wide_changes" {
  #checkov:skip=CKV_AWS_356:AWS defines these calls on "*" only; the policy exists only where no other environment shares the account, or for protected environments.
  for_each = local.account_wide_changes

  statement {
    sid       = "AccountWideChanges"
    actions   = ["logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "sns:Unsubscribe"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "deploy_account_wide_changes" {
  for_each = local.account_wide_changes
  name     = "account-wide-changes"
  role     = aws_iam_role.deploy[each.key].id
  policy   = data.aws_iam_policy_document.deploy_account_wide_changes[each.key].json
}

# Where the data lives (prod), the pipeline cannot delete it, whatever Terraform plans.
data "aws_iam_policy_document" "deploy_protected" {
  for_each = setintersection(var.environments, var.protected_environments)

  statement {
    sid    = "NeverDeleteData"
    effect = "Deny"
    actions = [
      "dynamodb:DeleteTable", "dynamodb:DeleteBackup", "cognito-idp:DeleteUserPool",
      "ecr:DeleteRepository", "logs:DeleteLogGroup",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "deploy_protected" {
  for_each = setintersection(var.environments, var.protected_environments)
  name     = "protected"
  role     = aws_iam_role.deploy[each.key].id
  policy   = data.aws_iam_policy_document.deploy_protected[each.key].json
}
