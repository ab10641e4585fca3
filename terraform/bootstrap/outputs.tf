# Values to store as GitHub environment variables (README "Deploy").
output "deploy_role_arns" {
  description = "AWS_DEPLOY_ROLE_ARN of each GitHub environment."
  value       = { for env, role in aws_iam_role.deploy : env => role.arn }
}

output "lambda_role_arns" {
  description = "The function's role in each environment (the main configuration finds it by name)."
  value       = { for env, role in aws_iam_role.lambda : env => role.arn }
}

output "scheduler_role_arns" {
  description = "The roles EventBridge Scheduler invokes the function with in each environment (the main configuration finds them by name)."
  value = {
    for env in var.environments : env => {
      erasure   = aws_iam_role.erasure_scheduler[env].arn
      reminders = aws_iam_role.reminders_scheduler[env].arn
    }
  }
}

output "state_buckets" {
  description = "The state bucket of each environment (environments/<env>.s3.tfbackend)."
  value       = { for env, bucket in aws_s3_bucket.state : env => bucket.bucket }
}

output "account_id" {
  description = "AWS_ACCOUNT_ID of each GitHub environment deployed to this account."
  value       = local.account_id
}
