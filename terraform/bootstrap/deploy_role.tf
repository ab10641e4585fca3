# GitHub Actions deploys through OIDC: no long-lived keys. Each environment has its own
# role, assumable only by jobs of this repository that run in the GitHub environment of
# the same name (deploy.yml sets `environment:`), scoped to that environment's resources.
locals {
  github_oidc_host = "token.actions.githubusercontent.com"
  github_oidc_arn = (var.create_oidc_provider
    ? aws_iam_openid_connect_provider.github[0].arn
    : "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.github_oidc_host}"
  )
  arn_prefix = {
    dynamodb   = "arn:${local.partition}:dynamodb:${var.aws_region}:${local.account_id}"
    lambda     = "arn:${local.partition}:lambda:${var.aws_region}:${local.account_id}"
    ecr        = "arn:${local.partition}:ecr:${var.aws_region}:${local.account_id}"
    cognito    = "arn:${local.partition}:cognito-idp:${var.aws_region}:${local.account_id}"
    apigateway = "arn:${local.partition}:apigateway:${var.aws_region}:"
    logs       = "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}"
    cloudwatch = "arn:${local.partition}:cloudwatch:${var.aws_region}:${local.account_id}"
    sns        = "arn:${local.partition}:sns:${var.aws_region}:${local.account_id}"
    iam        = "arn:${local.partition}:iam::${local.account_id}"
  }
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
}

data "aws_iam_policy_document" "deploy" {
  #checkov:skip=CKV_AWS_107:ecr:GetAuthorizationToken is how docker logs in to push the image; AWS defines it on "*" only.
  #checkov:skip=CKV_AWS_109:IAM writes are limited to the environment's own Lambda role (role/<project>-<env>-lambda).
  #checkov:skip=CKV_AWS_111:Every write is scoped to the environment's resources by name, except the calls AWS defines on "*" only (statement AccountWide).
  #checkov:skip=CKV_AWS_356:"*" only for the calls AWS defines on "*" (creating a user pool, ECR login, log delivery for API access logs).
  for_each = var.environments

  statement {
    sid       = "TerraformStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state[each.key].arn]
  }

  statement {
    sid       = "TerraformStateObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.state[each.key].arn}/*"]
  }

  statement {
    sid     = "Table"
    actions = ["dynamodb:*"]
    resources = [
      "${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}",
      "${local.arn_prefix.dynamodb}:table/${var.project}-${each.key}/*",
    ]
  }

  statement {
    sid       = "Function"
    actions   = ["lambda:*"]
    resources = ["${local.arn_prefix.lambda}:function:${var.project}-${each.key}"]
  }

  statement {
    sid       = "ImageRepository"
    actions   = ["ecr:*"]
    resources = ["${local.arn_prefix.ecr}:repository/${var.project}-${each.key}"]
  }

  # User pool ids are generated, so pools cannot be named in advance.
  statement {
    sid       = "UserPools"
    actions   = ["cognito-idp:*"]
    resources = ["${local.arn_prefix.cognito}:userpool/*"]
  }

  statement {
    sid     = "HttpApi"
    actions = ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"]
    resources = [
      "${local.arn_prefix.apigateway}:/apis",
      "${local.arn_prefix.apigateway}:/apis/*",
      "${local.arn_prefix.apigateway}:/tags/*",
    ]
  }

  statement {
    sid = "LambdaRole"
    actions = [
      "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole",
      "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy",
      "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
      "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
    ]
    resources = ["${local.arn_prefix.iam}:role/${var.project}-${each.key}-lambda"]
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

  statement {
    sid     = "LogGroups"
    actions = ["logs:*"]
    resources = [
      "${local.arn_prefix.logs}:log-group:/aws/lambda/${var.project}-${each.key}",
      "${local.arn_prefix.logs}:log-group:/aws/lambda/${var.project}-${each.key}:*",
      "${local.arn_prefix.logs}:log-group:/aws/apigateway/${var.project}-${each.key}",
      "${local.arn_prefix.logs}:log-group:/aws/apigateway/${var.project}-${each.key}:*",
    ]
  }

  statement {
    sid       = "Alarms"
    actions   = ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource"]
    resources = ["${local.arn_prefix.cloudwatch}:alarm:${var.project}-${each.key}-*"]
  }

  statement {
    sid     = "AlarmTopic"
    actions = ["sns:*"]
    resources = [
      "${local.arn_prefix.sns}:${var.project}-${each.key}-alarms",
      "${local.arn_prefix.sns}:${var.project}-${each.key}-alarms:*",
    ]
  }

  statement {
    sid = "AccountWide"
    actions = [
      "ecr:GetAuthorizationToken",
      "cognito-idp:CreateUserPool",
      "cognito-idp:ListUserPools",
      "cloudwatch:DescribeAlarms",
      "logs:DescribeLogGroups",
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
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
