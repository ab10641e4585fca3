# One route per route of the Flask app (API.md). Public routes are exactly the app's public
# routes and have authorization_type NONE; every other route needs a Cognito access token
# (JWT) carrying the scope Cognito gives access tokens, which ID tokens lack. Adding a route
# to the app means adding it here: tests/infra/test_routes_parity.py fails until both agree.

locals {
  # Cognito's access tokens from USER_PASSWORD_AUTH carry exactly this scope.
  access_token_scopes = ["aws.cognito.signin.user.admin"]

  # Every /auth route, throttled below the stage's limits (api.tf); a route under /auth is
  # added here too (tests/infra/test_api_and_identity.py checks it).
  auth_route_keys = concat(
    aws_apigatewayv2_route.post_auth_register[*].route_key,
    aws_apigatewayv2_route.post_auth_confirm[*].route_key,
    aws_apigatewayv2_route.post_auth_resend_code[*].route_key,
    aws_apigatewayv2_route.post_auth_login[*].route_key,
    aws_apigatewayv2_route.post_auth_refresh[*].route_key,
    aws_apigatewayv2_route.post_auth_forgot_password[*].route_key,
    aws_apigatewayv2_route.post_auth_reset_password[*].route_key,
    aws_apigatewayv2_route.post_auth_logout[*].route_key,
  )
}

# Public routes.

resource "aws_apigatewayv2_route" "get_health" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): the liveness check.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /health"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "get_openapi_json" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): the API's own contract.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /openapi.json"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "get_docs" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): the contract's reference page.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /docs"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "get_docs_redoc_standalone_js" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): the script of the reference page.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /docs/redoc.standalone.js"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "post_auth_register" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): signing up happens before there is a token.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /auth/register"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "post_auth_confirm" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): confirming an account happens before there is a token.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /auth/confirm"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "post_auth_resend_code" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): resending the code happens before there is a token.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /auth/resend-code"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "post_auth_login" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): logging in is how a token is obtained.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /auth/login"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "post_auth_refresh" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): refreshing authenticates with the refresh token in the body.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /auth/refresh"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "post_auth_forgot_password" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): a user who forgot the password has no token.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /auth/forgot-password"
  authorization_type = "NONE"
  target             = local.route_target
}

resource "aws_apigatewayv2_route" "post_auth_reset_password" {
  #checkov:skip=CKV_AWS_309:Public by design (the view is declared @public): a user who forgot the password has no token.
  count              = local.lambda_count
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /auth/reset-password"
  authorization_type = "NONE"
  target             = local.route_target
}

# Routes that need an access token.

resource "aws_apigatewayv2_route" "post_auth_logout" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /auth/logout"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_me" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /me"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "patch_me" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "PATCH /me"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "delete_me" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "DELETE /me"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_me_export" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /me/export"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_goals" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /goals"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_goals" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /goals"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_goals_by_goal_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /goals/{goalId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "patch_goals_by_goal_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "PATCH /goals/{goalId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "delete_goals_by_goal_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "DELETE /goals/{goalId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_goals_by_goal_id_check_ins" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /goals/{goalId}/check-ins"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_goals_by_goal_id_check_ins" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /goals/{goalId}/check-ins"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_goals_by_goal_id_check_ins_by_date" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /goals/{goalId}/check-ins/{date}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "delete_goals_by_goal_id_check_ins_by_date" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "DELETE /goals/{goalId}/check-ins/{date}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_activities" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /activities"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_activities" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /activities"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_activities_by_activity_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /activities/{activityId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "patch_activities_by_activity_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "PATCH /activities/{activityId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "delete_activities_by_activity_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "DELETE /activities/{activityId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_meals" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /meals"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_meals" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /meals"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_meals_by_meal_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /meals/{mealId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "patch_meals_by_meal_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "PATCH /meals/{mealId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "delete_meals_by_meal_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "DELETE /meals/{mealId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_metrics" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /metrics"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_metrics_batch" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /metrics/batch"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_metrics" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /metrics"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_metrics_by_metric_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /metrics/{metricId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "delete_metrics_by_metric_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "DELETE /metrics/{metricId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_summaries_daily" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /summaries/daily"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_summaries_weekly" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /summaries/weekly"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_coach_insights" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /coach/insights"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_coach_goal_suggestions" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /coach/goal-suggestions"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_sync" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /sync"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

# Reminders: devices that receive push, and the inbox.

resource "aws_apigatewayv2_route" "get_me_devices" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /me/devices"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_me_devices" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /me/devices"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_me_devices_by_device_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /me/devices/{deviceId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "delete_me_devices_by_device_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "DELETE /me/devices/{deviceId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_notifications" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /notifications"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "get_notifications_by_notification_id" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /notifications/{notificationId}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}

resource "aws_apigatewayv2_route" "post_notifications_by_notification_id_read" {
  count                = local.lambda_count
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "POST /notifications/{notificationId}/read"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = local.access_token_scopes
  target               = local.route_target
}
