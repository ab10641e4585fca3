# Run once per AWS account by an administrator, before the first deploy (README "Deploy"):
# the state bucket of each environment and the role GitHub Actions assumes through OIDC.
# Its own state is local (terraform.tfstate here, git-ignored): keep it somewhere safe.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project   = var.project
      ManagedBy = "terraform-bootstrap"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}
