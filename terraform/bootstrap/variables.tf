# Inputs of the bootstrap.

variable "github_repository" {
  description = "The repository whose workflows may deploy, as owner/name."
  type        = string
}

variable "environments" {
  description = "Environments deployed to this account (a state bucket, a deploy role and a function role each): [\"dev\", \"prod\"] for one account, [\"dev\"] and [\"prod\"] for one account each."
  type        = set(string)
  default     = ["dev", "prod"]

  validation {
    condition     = length(var.environments) > 0 && alltrue([for env in var.environments : contains(["dev", "prod"], env)])
    error_message = "environments must be dev, prod or both (the names the main configuration accepts)."
  }
}

variable "protected_environments" {
  description = "Environments whose deploy role may never delete the data: the table, its backups, the user pool or the image repository."
  type        = set(string)
  default     = ["prod"]
}

variable "project" {
  description = "Prefix of the application's resource names (as in the main configuration)."
  type        = string
  default     = "lifestyle-api"
}

variable "state_bucket_prefix" {
  description = "State buckets are <prefix>-<env>; bucket names are global, so change it if taken (and in environments/<env>.s3.tfbackend)."
  type        = string
  default     = "lifestyle-api-tfstate"
}

variable "aws_region" {
  description = "Region of the state buckets and the application."
  type        = string
  default     = "us-east-1"
}

variable "create_oidc_provider" {
  description = "Create GitHub's OIDC provider; false if the account already has one."
  type        = bool
  default     = true
}

variable "coach_model_arns" {
  description = "The Bedrock models (or inference profiles and the models behind them) the function may invoke: the main configuration's bedrock_model_id must be one of them."
  type        = list(string)
  default     = ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]
}

variable "create_cognito_email_role" {
  description = "Create Cognito's service-linked role for sending through SES (needed once per account by a pool with an SES email_configuration, i.e. prod); false if the account already has it."
  type        = bool
  default     = true
}
