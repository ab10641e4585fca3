# Inputs. Each environment sets its own in environments/<env>.tfvars.

variable "environment" {
  description = "Deployment environment."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "project" {
  description = "Prefix of every resource name."
  type        = string
  default     = "lifestyle-api"
}

variable "aws_region" {
  description = "Region of every resource."
  type        = string
  default     = "us-east-1"
}

# The pipeline decides these two on every run (README "Deploy"): no default, so that no run
# can drop the function by leaving them out.
variable "deploy_lambda" {
  description = "Whether the function, its alias, routes and alarms exist: false only before the first image exists (the function was not found)."
  type        = bool
}

variable "image_uri" {
  description = "The image the function runs, by digest (<ecr url>@sha256:<digest>); empty only when deploy_lambda is false."
  type        = string

  validation {
    condition = (var.deploy_lambda
      ? can(regex("^[^@:/]+(/[^@:]+)+@sha256:[0-9a-f]{64}$", var.image_uri))
      : var.image_uri == ""
    )
    error_message = "image_uri must be <repository url>@sha256:<64 hex digits> when deploy_lambda is true (an image by digest, never a tag), and empty when it is false."
  }
}

variable "aws_account_id" {
  description = "The AWS account this environment lives in; when set, Terraform refuses to run with credentials of any other account."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^([0-9]{12})?$", var.aws_account_id))
    error_message = "aws_account_id must be a 12-digit account id, or empty."
  }
}

variable "lambda_architecture" {
  description = "CPU architecture of the function and of the image built for it."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "lambda_memory_mb" {
  description = "Memory of the function (CPU grows with it)."
  type        = number
  default     = 1024
}

variable "lambda_timeout_seconds" {
  description = "Timeout of the function; the HTTP API gives up on an integration after 30 s."
  type        = number
  default     = 15

  validation {
    condition     = var.lambda_timeout_seconds >= 1 && var.lambda_timeout_seconds <= 30
    error_message = "lambda_timeout_seconds must be 1-30: the HTTP API integration times out at 30 s."
  }
}

variable "lambda_reserved_concurrency" {
  description = "Reserved concurrent executions of the function; -1 leaves it unreserved."
  type        = number
  default     = -1
}

variable "log_retention_days" {
  description = "Retention of the function's logs and the API's access logs."
  type        = number
  default     = 30
}

variable "cors_origin" {
  description = "The origin browsers may call from (CORS_ORIGIN of the app and the API's CORS configuration)."
  type        = string
  default     = "*"
}

variable "coach_provider" {
  description = "Where coaching comes from: bedrock or rules (COACH_PROVIDER)."
  type        = string
  default     = "bedrock"

  validation {
    condition     = contains(["bedrock", "rules"], var.coach_provider)
    error_message = "coach_provider must be bedrock or rules."
  }
}

variable "bedrock_model_id" {
  description = "The Bedrock model (or cross-region inference profile) the coach invokes, and the only one it may."
  type        = string
  default     = "anthropic.claude-3-haiku-20240307-v1:0"
}

variable "log_level" {
  description = "LOG_LEVEL of the app."
  type        = string
  default     = "INFO"
}

variable "api_throttling_rate_limit" {
  description = "Steady-state requests per second the API accepts before answering 429."
  type        = number
  default     = 50
}

variable "api_throttling_burst_limit" {
  description = "Burst of requests the API accepts before answering 429."
  type        = number
  default     = 100
}

variable "auth_throttling_rate_limit" {
  description = "Steady-state requests per second each /auth route accepts (sign-up, login, codes, passwords): below the stage's limit."
  type        = number
  default     = 5

  validation {
    condition     = var.auth_throttling_rate_limit > 0 && var.auth_throttling_rate_limit < var.api_throttling_rate_limit
    error_message = "auth_throttling_rate_limit must be positive and below api_throttling_rate_limit."
  }
}

variable "auth_throttling_burst_limit" {
  description = "Burst of requests each /auth route accepts: below the stage's burst."
  type        = number
  default     = 10

  validation {
    condition     = var.auth_throttling_burst_limit > 0 && var.auth_throttling_burst_limit < var.api_throttling_burst_limit
    error_message = "auth_throttling_burst_limit must be positive and below api_throttling_burst_limit."
  }
}

variable "password_minimum_length" {
  description = "Minimum length of a user's password."
  type        = number
  default     = 10
}

variable "ecr_images_kept" {
  description = "How many tagged images the repository keeps; older ones expire."
  type        = number
  default     = 30
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarms topic (each confirms by e-mail); prod refuses to plan without one."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for address in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "alarm_emails must be e-mail addresses."
  }

  validation {
    condition     = var.environment != "prod" || length(var.alarm_emails) > 0
    error_message = "prod must be watched: set alarm_emails (the GitHub environment variable ALARM_EMAILS, e.g. [\"ops@example.com\"])."
  }
}

variable "ses_identity_arn" {
  description = "SES identity (verified domain or address) Cognito sends its e-mail from; empty for Cognito's built-in sender and its small daily quota (dev only)."
  type        = string
  default     = ""

  validation {
    condition     = var.ses_identity_arn == "" || can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:identity/.+$", var.ses_identity_arn))
    error_message = "ses_identity_arn must be an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<domain or address>)."
  }

  validation {
    condition     = var.environment != "prod" || var.ses_identity_arn != ""
    error_message = "prod must be able to mail its users: set ses_identity_arn (the GitHub environment variable SES_IDENTITY_ARN) to a verified SES identity."
  }
}

variable "email_from_address" {
  description = "From address of Cognito's e-mail through SES (e.g. \"Lifestyle <no-reply@example.com>\"); empty for the identity's own address."
  type        = string
  default     = ""
}

variable "alarm_p99_duration_ms" {
  description = "p99 duration of the function above which the latency alarm fires."
  type        = number
  default     = 3000
}

variable "alarm_error_threshold" {
  description = "Function errors (or API 5xx answers) in 5 minutes above which the alarms fire."
  type        = number
  default     = 0
}

variable "sns_ios_platform_application_arn" {
  description = "SNS platform application (APNS or APNS_SANDBOX) iOS devices are pushed through; empty for no iOS push. The bootstrap's push_platform_application_arns must list it for this environment."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:app/APNS(_SANDBOX)?/[A-Za-z0-9_.-]+$", var.sns_ios_platform_application_arn))
    error_message = "sns_ios_platform_application_arn must be empty or the ARN of an APNS or APNS_SANDBOX platform application."
  }
}

variable "sns_android_platform_application_arn" {
  description = "SNS platform application (GCM, i.e. FCM) Android devices are pushed through; empty for no Android push. The bootstrap's push_platform_application_arns must list it for this environment."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:app/GCM/[A-Za-z0-9_.-]+$", var.sns_android_platform_application_arn))
    error_message = "sns_android_platform_application_arn must be empty or the ARN of a GCM (FCM) platform application."
  }
}
