# The function's role, one per environment, owned here so that the pipeline never writes IAM:
# the deploy role may only pass this role to Lambda, and cannot change what it allows.
# Least privilege: the environment's table and its indexes, the one admin Cognito call the
# app makes (AdminDeleteUser for DELETE /me) and the pool's password policy on the pool
# tagged with the environment (pool ids are generated), the configured Bedrock models, the
# function's own log group, and X-Ray (policy `lambda`); the schedules of an account
# deletion's second pass in the environment's erasure group, with the erasure scheduler's
# role passed to the scheduler only (`lambda-erasure`); push to the endpoints of the
# environment's SNS platform applications, where it has any (`lambda-push`).
data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  for_each           = var.environments
  name               = "${var.project}-${each.key}-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = { Environment = each.key }
}

data "aws_iam_policy_document" "lambda" {
  for_each = var.environments

  statement {
    sid = "Table"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:Query",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DescribeTable",
    ]
    resources = ["${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}"]
  }

  statement {
    sid       = "TableIndexes"
    actions   = ["dynamodb:Query"]
    resources = ["${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}/index/*"]
  }

  # Account deletion removes the Cognito user; registration reads the pool's password
  # policy to tell users what a weak password is missing. Only the environment's own pool.
  statement {
    sid       = "UserPool"
    actions   = ["cognito-idp:AdminDeleteUser", "cognito-idp:DescribeUserPool"]
    resources = ["${local.arn_prefix.cognito}:userpool/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "CoachModel"
    actions   = ["bedrock:InvokeModel"]
    resources = var.coach_model_arns
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.arn_prefix.logs}:log-group:/aws/lambda/${var.project}-${each.key}:*"]
  }

  # X-Ray has no resource-level permissions: AWS requires "*" here.
  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "lambda" {
  for_each = var.environments
  name     = "${var.project}-${each.key}-lambda"
  role     = aws_iam_role.lambda[each.key].id
  policy   = data.aws_iam_policy_document.lambda[each.key].json
}

# An account deletion's second pass (terraform/erasure.tf): the function creates a one-off
# schedule in the environment's erasure group, and deletes it once the pass ran.
data "aws_iam_policy_document" "lambda_erasure" {
  for_each = var.environments

  statement {
    sid       = "PurgeSchedules"
    actions   = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"]
    resources = ["${local.arn_prefix.scheduler}:schedule/${var.project}-${each.key}-erasure/*"]
  }

  statement {
    sid       = "PassTheSchedulerRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.erasure_scheduler[each.key].arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["scheduler.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "lambda_erasure" {
  for_each = var.environments
  name     = "${var.project}-${each.key}-lambda-erasure"
  role     = aws_iam_role.lambda[each.key].id
  policy   = data.aws_iam_policy_document.lambda_erasure[each.key].json
}

# Push for reminders (terraform/reminders.tf): device endpoints in the environment's own SNS
# platform applications (push_platform_application_arns), and those endpoints only. An
# environment without any gets no SNS permission at all.
locals {
  # arn:...:app/APNS/<name> -> arn:...:endpoint/APNS/<name>/* (the application's endpoints)
  push_endpoints = {
    for env, arns in var.push_platform_application_arns :
    env => [for arn in arns : "${replace(arn, ":app/", ":endpoint/")}/*"]
  }
}

data "aws_iam_policy_document" "lambda_push" {
  for_each = var.push_platform_application_arns

  statement {
    sid       = "CreateDeviceEndpoints"
    actions   = ["sns:CreatePlatformEndpoint"]
    resources = var.push_platform_application_arns[each.key]
  }

  statement {
    sid       = "PushToDeviceEndpoints"
    actions   = ["sns:Publish", "sns:GetEndpointAttributes", "sns:DeleteEndpoint"]
    resources = local.push_endpoints[each.key]
  }
}

resource "aws_iam_role_policy" "lambda_push" {
  for_each = var.push_platform_application_arns
  name     = "${var.project}-${each.key}-lambda-push"
  role     = aws_iam_role.lambda[each.key].id
  policy   = data.aws_iam_policy_document.lambda_push[each.key].json
}

# A pool whose e-mail goes through SES (prod) needs Cognito's service-linked role; creating
# it here keeps iam:CreateServiceLinkedRole out of the pipeline.
resource "aws_iam_service_linked_role" "cognito_email" {
  count            = var.create_cognito_email_role ? 1 : 0
  aws_service_name = "email.cognito-idp.amazonaws.com"
}
