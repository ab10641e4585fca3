# Reminders (README "Reminders and nudges"): EventBridge Scheduler runs the reminders pass
# every 15 minutes in the same function ({"task": "run-reminders"} events, handled by
# lifestyle_api.scheduled), one invocation per shard of the status index so that each stays
# well inside the function's timeout; and Amazon SNS mobile push, whose platform
# applications (with their APNs and FCM credentials) are made outside Terraform and named
# here, so no credential is in the repository or in the state.

variable "sns_ios_platform_application_arn" {
  description = "SNS platform application (APNS or APNS_SANDBOX) iOS devices are pushed through; empty for no iOS push."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:app/APNS(_SANDBOX)?/[A-Za-z0-9_.-]+$", var.sns_ios_platform_application_arn))
    error_message = "sns_ios_platform_application_arn must be empty or the ARN of an APNS or APNS_SANDBOX platform application."
  }
}

variable "sns_android_platform_application_arn" {
  description = "SNS platform application (GCM, i.e. FCM) Android devices are pushed through; empty for no Android push."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:app/GCM/[A-Za-z0-9_.-]+$", var.sns_android_platform_application_arn))
    error_message = "sns_android_platform_application_arn must be empty or the ARN of a GCM (FCM) platform application."
  }
}

locals {
  # lifestyle_api.db.keys.STATUS_SHARDS: one schedule (one invocation a pass) per shard.
  reminder_shards = var.deploy_lambda ? toset([for shard in range(16) : tostring(shard)]) : toset([])

  push_applications = compact([
    var.sns_ios_platform_application_arn,
    var.sns_android_platform_application_arn,
  ])
  # arn:...:app/APNS/<name> -> arn:...:endpoint/APNS/<name>/<endpoint id>
  push_endpoints = [for arn in local.push_applications : "${replace(arn, ":app/", ":endpoint/")}/*"]
}

resource "aws_scheduler_schedule" "reminders" {
  #checkov:skip=CKV_AWS_297:The schedule's input is {"task", "at", "shards"}: no personal or secret data for a customer-managed key to protect; EventBridge Scheduler encrypts it with an AWS-owned key.
  for_each    = local.reminder_shards
  name        = "${local.name}-reminders-${each.key}"
  description = "Reminders pass for shard ${each.key} of the status index, every 15 minutes."

  # On the quarter hours, so that consecutive passes' windows (the 15 minutes up to each
  # scheduled time) tile the day.
  schedule_expression          = "cron(0/15 * * * ? *)"
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.api[0].arn
    role_arn = aws_iam_role.reminders_scheduler[0].arn
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
  maximum_event_age_in_seconds = 600
  maximum_retry_attempts       = 1
}

# The scheduler's role: invoking this function, nothing else.
data "aws_iam_policy_document" "reminders_scheduler_assume" {
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
  }
}

resource "aws_iam_role" "reminders_scheduler" {
  count              = local.lambda_count
  name               = "${local.name}-reminders-scheduler"
  assume_role_policy = data.aws_iam_policy_document.reminders_scheduler_assume.json
}

data "aws_iam_policy_document" "reminders_scheduler" {
  count = local.lambda_count

  statement {
    sid       = "InvokeTheFunction"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.api[0].arn]
  }
}

resource "aws_iam_role_policy" "reminders_scheduler" {
  count  = local.lambda_count
  name   = "${local.name}-reminders-scheduler"
  role   = aws_iam_role.reminders_scheduler[0].id
  policy = data.aws_iam_policy_document.reminders_scheduler[0].json
}

# The function's push permissions: endpoints of the configured platform applications only.
data "aws_iam_policy_document" "lambda_push" {
  count = length(local.push_applications) > 0 ? 1 : 0

  statement {
    sid       = "CreateDeviceEndpoints"
    actions   = ["sns:CreatePlatformEndpoint"]
    resources = local.push_applications
  }

  statement {
    sid       = "PushToDeviceEndpoints"
    actions   = ["sns:Publish", "sns:GetEndpointAttributes", "sns:DeleteEndpoint"]
    resources = local.push_endpoints
  }
}

resource "aws_iam_role_policy" "lambda_push" {
  count  = length(local.push_applications) > 0 ? 1 : 0
  name   = "${local.name}-lambda-push"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda_push[0].json
}
