# The one function: the container image built from the Dockerfile (CMD wsgi.handler),
# created only in the deploy's third phase (deploy_lambda = true), with its log group.

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
  #checkov:skip=CKV_AWS_272:Code signing does not apply to container images; the image is pinned by an immutable, scanned ECR tag.
  count                          = local.lambda_count
  function_name                  = local.name
  description                    = "Lifestyle API: every route of the Flask app through apig-wsgi."
  role                           = aws_iam_role.lambda.arn
  package_type                   = "Image"
  image_uri                      = var.image_uri
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
      condition     = var.image_uri != ""
      error_message = "deploy_lambda = true needs image_uri (the image pushed to ECR in the deploy's second phase)."
    }
  }

  depends_on = [aws_iam_role_policy.lambda]
}
