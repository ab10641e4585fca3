# Production: deployed by every push to main.
environment = "prod"
# Set to the web app's origin once it has one; bearer tokens (no cookies) make "*" safe.
cors_origin                 = "*"
log_level                   = "INFO"
log_retention_days          = 90
lambda_reserved_concurrency = 100
api_throttling_rate_limit   = 200
api_throttling_burst_limit  = 400
alarm_p99_duration_ms       = 2000
auth_throttling_rate_limit  = 20
auth_throttling_burst_limit = 40
# alarm_emails, ses_identity_arn, email_from_address and aws_account_id come from the
# GitHub environment's variables (README "Deploy"); without the first two, prod refuses to plan.
