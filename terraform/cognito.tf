# Users: a Cognito user pool with the email address as the username, and one public app
# client (no secret) for the app's own USER_PASSWORD_AUTH login and token refresh. Prod
# sends its e-mail through SES (variables.tf refuses prod without an identity); dev may use
# Cognito's built-in sender and its small daily quota.
resource "aws_cognito_user_pool" "main" {
  name                     = local.name
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = local.is_prod ? "ACTIVE" : "INACTIVE"
  mfa_configuration        = "OFF"

  username_configuration {
    case_sensitive = false
  }

  password_policy {
    minimum_length                   = var.password_minimum_length
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = false
    temporary_password_validity_days = 7
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  verification_message_template {
    default_email_option = "CONFIRM_WITH_CODE"
  }

  # A new address takes effect only once the user confirms the code sent to it; until then
  # the verified one stays the username and the recovery address.
  user_attribute_update_settings {
    attributes_require_verification_before_update = ["email"]
  }

  dynamic "email_configuration" {
    for_each = var.ses_identity_arn == "" ? [] : [var.ses_identity_arn]
    content {
      email_sending_account = "DEVELOPER"
      source_arn            = email_configuration.value
      from_email_address    = var.email_from_address == "" ? null : var.email_from_address
    }
  }

  # The users live here: never destroyed or replaced by an apply (prod also has deletion
  # protection). Deleting a dev pool is a deliberate act by hand (README "Deploy").
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_cognito_user_pool_client" "app" {
  name            = "${local.name}-app"
  user_pool_id    = aws_cognito_user_pool.main.id
  generate_secret = false

  explicit_auth_flows = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]
  supported_identity_providers = ["COGNITO"]
  # What a user may write with their own access token (Cognito's UpdateUserAttributes) or at
  # sign-up: their name and address, nothing that says "verified" or that the app trusts.
  write_attributes              = ["email", "name"]
  prevent_user_existence_errors = "ENABLED"
  # POST /auth/logout (GlobalSignOut) must make refresh tokens stop working at once.
  enable_token_revocation = true

  # API.md: access tokens stop at their expiry, 15 minutes after login or refresh.
  access_token_validity  = 15
  id_token_validity      = 15
  refresh_token_validity = 30

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}
