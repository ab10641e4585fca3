# Terraform and provider versions, and the state backend. The backend is configured per
# environment at init time: terraform init -backend-config=environments/<env>.s3.tfbackend
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  backend "s3" {}
}
