# The image repository: one image per commit (immutable tags), scanned on push, old images
# expired by a lifecycle policy.
resource "aws_ecr_repository" "app" {
  #checkov:skip=CKV_AWS_136:Encrypted with the AWS-managed ECR key (encryption_type KMS); a customer-managed key adds a key policy without a requirement that asks for one.
  name                 = local.name
  image_tag_mutability = "IMMUTABLE"
  force_delete         = !local.is_prod

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Untagged layers of interrupted pushes go after a day."
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 1
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the most recent images; older ones expire."
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.ecr_images_kept
        }
        action = { type = "expire" }
      },
    ]
  })
}
