# The second pass of account deletions (API.md "Profile": DELETE /me). Each deletion creates
# a one-off EventBridge Scheduler schedule in this group that invokes the function with
# {"task": "purge-deleted", "userId": ...} once the access tokens issued before it have
# expired; the schedule deletes itself after it ran. Nothing here depends on the function
# existing yet: its ARN is known from its name.

locals {
  function_arn           = "arn:${local.partition}:lambda:${var.aws_region}:${local.account_id}:function:${local.name}"
  erasure_schedule_group = "${local.name}-erasure"
  erasure_schedules_arn  = "arn:${local.partition}:scheduler:${var.aws_region}:${local.account_id}:schedule/${local.erasure_schedule_group}/*"
}

resource "aws_scheduler_schedule_group" "erasure" {
  name = local.erasure_schedule_group
}

# The role the scheduler invokes the function with: that function and nothing else.
data "aws_iam_policy_document" "erasure_scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.erasure_schedules_arn]
    }
  }
}

resource "aws_iam_role" "erasure_scheduler" {
  name               = "${local.name}-erasure-scheduler"
  assume_role_policy = data.aws_iam_policy_document.erasure_scheduler_assume.json
}

data "aws_iam_policy_document" "erasure_scheduler" {
  statement {
    sid       = "InvokeTheFunction"
    actions   = ["lambda:InvokeFunction"]
    resources = [local.function_arn]
  }
}

resource "aws_iam_role_policy" "erasure_scheduler" {
  name   = "${local.name}-erasure-scheduler"
  role   = aws_iam_role.erasure_scheduler.id
  policy = data.aws_iam_policy_document.erasure_scheduler.json
}

# What the function needs to schedule (and, once a pass ran, delete) those schedules: its
# own group's schedules only, and passing the scheduler role to the scheduler only.
data "aws_iam_policy_document" "lambda_erasure" {
  statement {
    sid       = "PurgeSchedules"
    actions   = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"]
    resources = [local.erasure_schedules_arn]
  }

  statement {
    sid       = "PassTheSchedulerRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.erasure_scheduler.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["scheduler.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "lambda_erasure" {
  name   = "${local.name}-lambda-erasure"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda_erasure.json
}
