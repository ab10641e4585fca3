# The function's role, one per environment, owned here so that the pipeline never writes IAM:
# the deploy role may only pass this role to Lambda, and cannot change what it allows.
# Least privilege: the environment's table and its indexes, the one admin Cognito call the
# app makes (AdminDeleteUser for DELETE /me) and the pool's password policy on the pool
# tagged with the environment (pool ids are generated), the configured Bedrock models, the
# function's own log group, and X-Ray.
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

# A pool whose e-mail goes through SES (prod) needs Cognito's service-linked role; creating
# it here keeps iam:CreateServiceLinkedRole out of the pipeline.
resource "aws_iam_service_linked_role" "cognito_email" {
  count            = var.create_cognito_email_role ? 1 : 0
  aws_service_name = "email.cognito-idp.amazonaws.com"
}
