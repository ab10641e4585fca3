# Inputs of the bootstrap.

variable "github_repository" {
  description = "The repository whose workflows may deploy, as owner/name."
  type        = string
}

variable "environments" {
  description = "Environments deployed to this account (a state bucket and a deploy role each)."
  type        = set(string)
  default     = ["dev", "prod"]
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
