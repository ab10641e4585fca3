# The AWS provider, the account it runs in, and names shared by every file.
provider "aws" {
  region = var.aws_region
  # With the environment's account id set (recommended: prod in an account of its own),
  # credentials of another account make every run stop before touching anything.
  allowed_account_ids = var.aws_account_id == "" ? null : [var.aws_account_id]

  default_tags {
    tags = {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  name         = "${var.project}-${var.environment}"
  is_prod      = var.environment == "prod"
  account_id   = data.aws_caller_identity.current.account_id
  partition    = data.aws_partition.current.partition
  lambda_count = var.deploy_lambda ? 1 : 0
  # Access tokens are verified by the gateway and, without authorizer claims, by the app.
  jwt_issuer = "https://${aws_cognito_user_pool.main.endpoint}"
}
