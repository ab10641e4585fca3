# The one function: the container image built from the Dockerfile (CMD wsgi.handler), by
# digest, created only once an image exists (deploy_lambda = true), with its log group. Each
# deploy publishes a version and moves the `live` alias to it; the API invokes the alias, so
# a release is undone by pointing the alias at the previous version (README "Deploy").

# The function's role belongs to terraform/bootstrap: the pipeline may pass it, never write it.
data "aws_iam_role" "lambda" {
  name = "${local.name}-lambda"
}

# The role and its policy used to live here; they now belong to terraform/bootstrap (which
# imports them), and forgetting them here must not delete them.
removed {
  from = aws_iam_role.lambda
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role_policy.lambda
  lifecycle {
    destroy = false
  }
}

# Signs list cursors (CURSOR_SECRET); stable for the life of the environment's state.
resource "random_password" "cursor_secret" {
  length  = 48
  special = false
}

resource "aws_cloudwatch_log_group" "lambda" {
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts at rest with its own keys; log lines carry request ids and outcomes, never bodies, tokens or personal data.
  #checkov:skip=CKV_AWS_338:Operational logs are kept log_retention_days (30 days dev, 90 prod) on purpose: no longer than they are useful.
  count             = local.lambda_count
  name              = "/aws/lambda/${local.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "api" {
  #checkov:skip=CKV_AWS_116:API Gateway invokes it synchronously; the only asynchronous invocations are the reminders schedule's, whose passes are idempotent and caught up by the next pass 15 minutes later, so a dead-letter queue would hold nothing worth replaying.
  #checkov:skip=CKV_AWS_117:Reaches only DynamoDB, Cognito and Bedrock public endpoints; a VPC would add NAT or endpoints and cold-start cost and protect nothing.
  #checkov:skip=CKV_AWS_173:Environment variables are encrypted at rest with the AWS-managed Lambda key; a customer-managed key adds a key policy without a requirement that asks for one.
  #checkov:skip=CKV_AWS_272:Code signing does not apply to container images; the image is pinned by its digest in an immutable, scanned ECR repository.
  count                          = local.lambda_count
  function_name                  = local.name
  description                    = "Lifestyle API: every route of the Flask app through apig-wsgi."
  role                           = data.aws_iam_role.lambda.arn
  package_type                   = "Image"
  image_uri                      = var.image_uri
  publish                        = true
  architectures                  = [var.lambda_architecture]
  memory_size                    = var.lambda_memory_mb
  timeout                        = var.lambda_timeout_seconds
  reserved_concurrent_executions = var.lambda_reserved_concurrency

  # Every setting the app reads (lifestyle_api.config.Settings), except those Lambda sets
  # itself (AWS_REGION) and those that exist only for local runs (tests/infra checks it).
  environment {
    variables = {
      TABLE_NAME                   = aws_dynamodb_table.main.name
      CORS_ORIGIN                  = var.cors_origin
      COGNITO_USER_POOL_ID         = aws_cognito_user_pool.main.id
      COGNITO_CLIENT_ID            = aws_cognito_user_pool_client.app.id
      JWT_ISSUER                   = local.jwt_issuer
      JWKS_URL                     = "${local.jwt_issuer}/.well-known/jwks.json"
      CURSOR_SECRET                = random_password.cursor_secret.result
      COACH_PROVIDER               = var.coach_provider
      BEDROCK_MODEL_ID             = var.bedrock_model_id
      LOG_LEVEL                    = var.log_level
      POWERTOOLS_SERVICE_NAME      = var.project
      POWERTOOLS_METRICS_NAMESPACE = "LifestyleApi"
      PURGE_SCHEDULE_GROUP         = aws_scheduler_schedule_group.erasure.name
      PURGE_SCHEDULER_ROLE_ARN     = data.aws_iam_role.erasure_scheduler.arn
      PURGE_FUNCTION_ARN           = "${local.function_arn}:live"
      # Push for reminders (reminders.tf); empty: notifications reach the inbox only.
      SNS_IOS_PLATFORM_APPLICATION_ARN     = var.sns_ios_platform_application_arn
      SNS_ANDROID_PLATFORM_APPLICATION_ARN = var.sns_android_platform_application_arn
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.lambda[0].name
  }

  lifecycle {
    precondition {
      condition     = startswith(var.image_uri, "${aws_ecr_repository.app.repository_url}@sha256:")
      error_message = "image_uri must be an image of this environment's repository, by digest (<repository url>@sha256:<digest>)."
    }
  }
}

# What the API invokes. The deploy moves it to each new version; the smoke test moves it
# back to the previous one when the new version fails.
resource "aws_lambda_alias" "live" {
  count            = local.lambda_count
  name             = "live"
  description      = "The version the API serves."
  function_name    = aws_lambda_function.api[0].function_name
  function_version = aws_lambda_function.api[0].version
}
