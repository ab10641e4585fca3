# Reminders (README "Reminders and nudges"): EventBridge Scheduler runs the reminders pass
# every 15 minutes in the same function ({"task": "run-reminders"} events, handled by
# lifestyle_api.scheduled), one invocation per shard of the status index so that each stays
# well inside the function's timeout; and Amazon SNS mobile push, whose platform
# applications (with their APNs and FCM credentials) are made outside Terraform and named
# by variables (variables.tf), so no credential is in the repository or in the state.
#
# The IAM belongs to terraform/bootstrap: the role the schedules invoke the function with
# (scheduler_roles.tf, assumable only for this schedule group's schedules, allowed only to
# invoke the function's live alias), and the function's push permissions on the endpoints
# of the same platform applications, given there as push_platform_application_arns
# (lambda_role.tf, policy lambda-push).

locals {
  # lifestyle_api.db.keys.STATUS_SHARDS: one schedule (one invocation a pass) per shard.
  reminder_shards = var.deploy_lambda ? toset([for shard in range(16) : tostring(shard)]) : toset([])
}

# A group of their own: the scheduler role's trust names it (aws:SourceArn is the group's
# ARN), so no other schedule of the account can invoke the function with that role.
resource "aws_scheduler_schedule_group" "reminders" {
  name = "${local.name}-reminders"
}

# The role the schedules invoke the function with.
data "aws_iam_role" "reminders_scheduler" {
  name = "${local.name}-reminders-scheduler"
}

resource "aws_scheduler_schedule" "reminders" {
  #checkov:skip=CKV_AWS_297:The schedule's input is {"task", "at", "shards"}: no personal or secret data for a customer-managed key to protect; EventBridge Scheduler encrypts it with an AWS-owned key.
  for_each    = local.reminder_shards
  name        = "${local.name}-reminders-${each.key}"
  group_name  = aws_scheduler_schedule_group.reminders.name
  description = "Reminders pass for shard ${each.key} of the status index, every 15 minutes."

  # On the quarter hours, so that consecutive passes' windows (the 15 minutes up to each
  # scheduled time) tile the day.
  schedule_expression          = "cron(0/15 * * * ? *)"
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    # The `live` alias: the version the API serves, moved back by a rollback.
    arn      = aws_lambda_alias.live[0].arn
    role_arn = data.aws_iam_role.reminders_scheduler.arn
    # The scheduled time, not the time of delivery: a retried invocation covers the same
    # window, and writes nothing twice.
    input = jsonencode({
      task   = "run-reminders"
      at     = "<aws.scheduler.scheduled-time>"
      shards = [tonumber(each.key)]
    })

    # A pass later than the next one is of no use: the next pass sends what is due.
    retry_policy {
      maximum_event_age_in_seconds = 600
      maximum_retry_attempts       = 2
    }
  }
}

# Lambda's own retries of the scheduler's asynchronous invocations, bounded the same way.
resource "aws_lambda_function_event_invoke_config" "reminders" {
  count                        = local.lambda_count
  function_name                = aws_lambda_function.api[0].function_name
  qualifier                    = aws_lambda_alias.live[0].name
  maximum_event_age_in_seconds = 600
  maximum_retry_attempts       = 1
}

# These used to live here; they now belong to terraform/bootstrap (which imports them), and
# forgetting them here must not delete them.
removed {
  from = aws_iam_role.reminders_scheduler
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role_policy.reminders_scheduler
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role_policy.lambda_push
  lifecycle {
    destroy = false
  }
}
