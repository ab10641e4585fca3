# The function's role, least privilege: the table and its indexes, the one admin Cognito
# call the app makes (AdminDeleteUser for DELETE /me; sign-up, login, refresh, logout and
# the rest are public Cognito APIs authorized by the client id or the user's own token),
# Bedrock InvokeModel on the configured model only, its own log group, and X-Ray.
locals {
  log_group_arn = "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:/aws/lambda/${local.name}"

  # A cross-region inference profile ("us.anthropic...") invokes the model in any region
  # of its geography: the profile and the foundation model in those regions are needed.
  bedrock_foundation_model = replace(var.bedrock_model_id, "/^(us|eu|apac|global)\\./", "")
  bedrock_uses_profile     = local.bedrock_foundation_model != var.bedrock_model_id
  bedrock_model_arns = local.bedrock_uses_profile ? [
    "arn:${local.partition}:bedrock:${var.aws_region}:${local.account_id}:inference-profile/${var.bedrock_model_id}",
    "arn:${local.partition}:bedrock:*::foundation-model/${local.bedrock_foundation_model}",
    ] : [
    "arn:${local.partition}:bedrock:${var.aws_region}::foundation-model/${var.bedrock_model_id}",
  ]
}

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
  name               = "${local.name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "lambda" {
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
    resources = [aws_dynamodb_table.main.arn]
  }

  statement {
    sid       = "TableIndexes"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.main.arn}/index/*"]
  }

  # Account deletion removes the Cognito user; registration reads the pool's password
  # policy to tell users what a weak password is missing.
  statement {
    sid       = "UserPool"
    actions   = ["cognito-idp:AdminDeleteUser", "cognito-idp:DescribeUserPool"]
    resources = [aws_cognito_user_pool.main.arn]
  }

  statement {
    sid       = "CoachModel"
    actions   = ["bedrock:InvokeModel"]
    resources = local.bedrock_model_arns
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }

  # X-Ray has no resource-level permissions: AWS requires "*" here.
  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "lambda" {
  name   = "${local.name}-lambda"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}
