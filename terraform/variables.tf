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

variable "deploy_lambda" {
  description = "Create the function, its routes and alarms. False on the first deploy, before an image exists in ECR."
  type        = bool
  default     = false
}

variable "image_uri" {
  description = "The image the function runs (<ecr url>:<commit sha>); required when deploy_lambda is true."
  type        = string
  default     = ""
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

variable "alarm_email" {
  description = "Address that receives alarm notifications; empty for none."
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
