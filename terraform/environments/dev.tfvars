# Development: deployed by every pull request.
environment                 = "dev"
cors_origin                 = "*"
log_level                   = "DEBUG"
log_retention_days          = 30
lambda_reserved_concurrency = -1
api_throttling_rate_limit   = 20
api_throttling_burst_limit  = 40
