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
