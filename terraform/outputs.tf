# What clients, the pipeline and operators need to know about an environment.
output "api_url" {
  description = "Base URL of the API."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "user_pool_id" {
  description = "Cognito user pool id."
  value       = aws_cognito_user_pool.main.id
}

output "user_pool_client_id" {
  description = "Cognito app client id (public, no secret)."
  value       = aws_cognito_user_pool_client.app.id
}

output "table_name" {
  description = "The single DynamoDB table."
  value       = aws_dynamodb_table.main.name
}

output "ecr_repository_url" {
  description = "Where the deploy pushes the image."
  value       = aws_ecr_repository.app.repository_url
}

output "image_platform" {
  description = "Docker platform to build the image for (the function's architecture)."
  value       = var.lambda_architecture == "arm64" ? "linux/arm64" : "linux/amd64"
}

output "lambda_image_uri" {
  description = "The image (by digest) of the version last applied; empty before the first full deploy. After a rollback the live alias serves an older one."
  value       = var.deploy_lambda ? var.image_uri : ""
}

output "lambda_function_name" {
  description = "The function, once deployed."
  value       = var.deploy_lambda ? aws_lambda_function.api[0].function_name : ""
}

output "lambda_live_version" {
  description = "The version the live alias was set to by the last apply (the API invokes the alias)."
  value       = var.deploy_lambda ? aws_lambda_alias.live[0].function_version : ""
}
