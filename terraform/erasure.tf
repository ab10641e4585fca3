# The second pass of account deletions (API.md "Profile": DELETE /me). Each deletion creates
# a one-off EventBridge Scheduler schedule in this group that invokes the function with
# {"task": "purge-deleted", "userId": ...} once the access tokens issued before it have
# expired; the schedule deletes itself after it ran. Nothing here depends on the function
# existing yet: its ARN is known from its name.
#
# The IAM belongs to terraform/bootstrap: the role the scheduler invokes the function with
# (scheduler_roles.tf, assumable only for this group's schedules, allowed only to invoke the
# function), and the function's own permission to create and delete this group's schedules
# and pass that role to the scheduler (lambda_role.tf, policy lambda-erasure).

locals {
  function_arn           = "arn:${local.partition}:lambda:${var.aws_region}:${local.account_id}:function:${local.name}"
  erasure_schedule_group = "${local.name}-erasure"
}

resource "aws_scheduler_schedule_group" "erasure" {
  name = local.erasure_schedule_group
}

# The role the function names in each schedule it creates (PURGE_SCHEDULER_ROLE_ARN).
data "aws_iam_role" "erasure_scheduler" {
  name = "${local.name}-erasure-scheduler"
}

# These used to live here; they now belong to terraform/bootstrap (which imports them), and
# forgetting them here must not delete them.
removed {
  from = aws_iam_role.erasure_scheduler
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role_policy.erasure_scheduler
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role_policy.lambda_erasure
  lifecycle {
    destroy = false
  }
}
