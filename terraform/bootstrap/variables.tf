# Inputs of the bootstrap.

variable "github_repository" {
  description = "The repository whose workflows may deploy, as owner/name."
  type        = string
}

variable "environments" {
  description = "Environments deployed to this account (a state bucket, a deploy role, a function role and two scheduler roles each): [\"dev\", \"prod\"] for one account, [\"dev\"] and [\"prod\"] for one account each."
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

variable "push_platform_application_arns" {
  description = "For each environment that pushes reminders, the SNS platform applications (APNS, APNS_SANDBOX, GCM) its function may push through: that environment's sns_ios_platform_application_arn and sns_android_platform_application_arn in the main configuration. An environment left out gets no SNS permission (its reminders reach the inbox only)."
  type        = map(list(string))
  default     = {}

  validation {
    condition = alltrue([
      for env, arns in var.push_platform_application_arns :
      contains(var.environments, env) && length(arns) > 0 && alltrue([
        for arn in arns :
        can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:app/(APNS|APNS_SANDBOX|GCM)/[A-Za-z0-9_.-]+$", arn))
      ])
    ])
    error_message = "push_platform_application_arns maps environments of this account to a non-empty list of SNS platform application ARNs (app/APNS, app/APNS_SANDBOX or app/GCM)."
  }

  # One environment's function could otherwise push to the other environment's devices.
  validation {
    condition = (
      length(flatten(values(var.push_platform_application_arns)))
      == length(distinct(flatten(values(var.push_platform_application_arns))))
    )
    error_message = "Each platform application belongs to one environment: give dev and prod applications of their own."
  }
}
