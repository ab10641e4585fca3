# The HTTP API in front of the function: a Cognito JWT authorizer (issuer = the pool,
# audience = the app client; routes also require the access token's scope, so ID tokens
# stop here), CORS answered by the gateway with API.md's values, the $default stage with
# access logs, throttling and a lower limit on the /auth routes, and one Lambda proxy
# integration (payload format 2.0) to the function's `live` alias. Routes are in routes.tf.
resource "aws_apigatewayv2_api" "http" {
  name          = local.name
  protocol_type = "HTTP"
  description   = "Lifestyle API"

  # Same values as lifestyle_api.http.hooks (tests/infra checks it); the gateway answers
  # preflight itself and ignores the app's CORS headers.
  cors_configuration {
    allow_origins  = [var.cors_origin]
    allow_methods  = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"]
    allow_headers  = ["Authorization", "Content-Type", "Idempotency-Key", "If-Match"]
    expose_headers = ["ETag", "Location", "X-Request-Id", "Idempotent-Replayed", "Retry-After"]
    max_age        = 600
  }
}

resource "aws_apigatewayv2_authorizer" "cognito" {
  api_id           = aws_apigatewayv2_api.http.id
  name             = "cognito"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  # Cognito access tokens carry client_id instead of aud; the authorizer accepts either.
  jwt_configuration {
    issuer   = local.jwt_issuer
    audience = [aws_cognito_user_pool_client.app.id]
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts at rest with its own keys; access log lines carry request ids, routes, statuses and latencies, no bodies or tokens.
  #checkov:skip=CKV_AWS_338:Operational logs are kept log_retention_days (30 days dev, 90 prod) on purpose: no longer than they are useful.
  name              = "/aws/apigateway/${local.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      sourceIp           = "$context.identity.sourceIp"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      authorizerError    = "$context.authorizer.error"
    })
  }

  default_route_settings {
    throttling_rate_limit    = var.api_throttling_rate_limit
    throttling_burst_limit   = var.api_throttling_burst_limit
    detailed_metrics_enabled = true
  }

  # Sign-up, login, code and password routes call Cognito (and send e-mail) for anyone who
  # asks: each gets a limit well below the stage's. Route settings need their route.
  dynamic "route_settings" {
    for_each = local.auth_route_keys
    content {
      route_key                = route_settings.value
      throttling_rate_limit    = var.auth_throttling_rate_limit
      throttling_burst_limit   = var.auth_throttling_burst_limit
      detailed_metrics_enabled = true
    }
  }
}

resource "aws_apigatewayv2_integration" "lambda" {
  count                  = local.lambda_count
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_alias.live[0].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 30000
}

resource "aws_lambda_permission" "api" {
  count         = local.lambda_count
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api[0].function_name
  qualifier     = aws_lambda_alias.live[0].name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*"
}

locals {
  route_target = var.deploy_lambda ? "integrations/${aws_apigatewayv2_integration.lambda[0].id}" : null
}
