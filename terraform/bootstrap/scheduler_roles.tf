# The roles EventBridge Scheduler invokes the function with, two per environment, owned here
# so that the pipeline never writes IAM: `erasure-scheduler` for the one-off schedules the
# function creates for an account deletion's second pass (terraform/erasure.tf), and
# `reminders-scheduler` for the reminders schedules the pipeline keeps (terraform/reminders.tf).
# Each may invoke the environment's function and nothing else, and only the scheduler may
# assume it, for schedules of its own schedule group in this account: the scheduler assumes
# a role with aws:SourceArn set to the schedule group's ARN (not the schedule's), so the
# group names the main configuration gives (<project>-<env>-erasure, -reminders) are the
# ones here.

data "aws_iam_policy_document" "erasure_scheduler_assume" {
  for_each = var.environments

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
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = ["${local.arn_prefix.scheduler}:schedule-group/${var.project}-${each.key}-erasure"]
    }
  }
}

data "aws_iam_policy_document" "reminders_scheduler_assume" {
  for_each = var.environments

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
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = ["${local.arn_prefix.scheduler}:schedule-group/${var.project}-${each.key}-reminders"]
    }
  }
}

resource "aws_iam_role" "erasure_scheduler" {
  for_each           = var.environments
  name               = "${var.project}-${each.key}-erasure-scheduler"
  assume_role_policy = data.aws_iam_policy_document.erasure_scheduler_assume[each.key].json
  tags               = { Environment = each.key }
}

resource "aws_iam_role" "reminders_scheduler" {
  for_each           = var.environments
  name               = "${var.project}-${each.key}-reminders-scheduler"
  assume_role_policy = data.aws_iam_policy_document.reminders_scheduler_assume[each.key].json
  tags               = { Environment = each.key }
}

# What either role may do: invoke the environment's function through its `live` alias, the
# version the API serves (so a rollback of the alias rolls back scheduled work too).
data "aws_iam_policy_document" "scheduler_invoke" {
  for_each = var.environments

  statement {
    sid       = "InvokeTheFunction"
    actions   = ["lambda:InvokeFunction"]
    resources = ["${local.arn_prefix.lambda}:function:${var.project}-${each.key}:live"]
  }
}

resource "aws_iam_role_policy" "erasure_scheduler" {
  for_each = var.environments
  name     = "${var.project}-${each.key}-erasure-scheduler"
  role     = aws_iam_role.erasure_scheduler[each.key].id
  policy   = data.aws_iam_policy_document.scheduler_invoke[each.key].json
}

resource "aws_iam_role_policy" "reminders_scheduler" {
  for_each = var.environments
  name     = "${var.project}-${each.key}-reminders-scheduler"
  role     = aws_iam_role.reminders_scheduler[each.key].id
  policy   = data.aws_iam_policy_document.scheduler_invoke[each.key].json
}
