# Run once per AWS account by an administrator, before the first deploy (README "Deploy"),
# and again whenever IAM must change: for each environment the state bucket, the role GitHub
# Actions assumes through OIDC, the function's role and the roles EventBridge Scheduler
# invokes the function with. The pipeline itself never writes IAM.
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
  # Where ARNs can name an environment's resources, they do: <project>-<env>[-…].
  arn_prefix = {
    dynamodb   = "arn:${local.partition}:dynamodb:${var.aws_region}:${local.account_id}"
    lambda     = "arn:${local.partition}:lambda:${var.aws_region}:${local.account_id}"
    ecr        = "arn:${local.partition}:ecr:${var.aws_region}:${local.account_id}"
    cognito    = "arn:${local.partition}:cognito-idp:${var.aws_region}:${local.account_id}"
    apigateway = "arn:${local.partition}:apigateway:${var.aws_region}:"
    logs       = "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}"
    cloudwatch = "arn:${local.partition}:cloudwatch:${var.aws_region}:${local.account_id}"
    sns        = "arn:${local.partition}:sns:${var.aws_region}:${local.account_id}"
    scheduler  = "arn:${local.partition}:scheduler:${var.aws_region}:${local.account_id}"
    iam        = "arn:${local.partition}:iam::${local.account_id}"
    s3         = "arn:${local.partition}:s3:::"
  }
}
