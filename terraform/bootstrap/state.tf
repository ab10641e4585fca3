# One state bucket per environment, matching environments/<env>.s3.tfbackend: versioned,
# encrypted, private, TLS only. Terraform locks the state with a lock file in the bucket.
resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_18:Access logging of the state bucket would need another bucket; CloudTrail records who touched the state.
  #checkov:skip=CKV_AWS_144:State is versioned in place; cross-region replication is not required for a state that can be re-imported.
  #checkov:skip=CKV_AWS_145:Encrypted with S3-managed keys (SSE-S3); a customer-managed key adds a key policy without a requirement that asks for one.
  #checkov:skip=CKV2_AWS_62:Nothing needs to react to state changes.
  for_each = var.environments
  bucket   = "${var.state_bucket_prefix}-${each.key}"
}

resource "aws_s3_bucket_versioning" "state" {
  for_each = var.environments
  bucket   = aws_s3_bucket.state[each.key].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  for_each = var.environments
  bucket   = aws_s3_bucket.state[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  for_each                = var.environments
  bucket                  = aws_s3_bucket.state[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  for_each = var.environments
  bucket   = aws_s3_bucket.state[each.key].id

  rule {
    id     = "old-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 90
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

data "aws_iam_policy_document" "state_tls_only" {
  for_each = var.environments

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state[each.key].arn, "${aws_s3_bucket.state[each.key].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  for_each = var.environments
  bucket   = aws_s3_bucket.state[each.key].id
  policy   = data.aws_iam_policy_document.state_tls_only[each.key].json
}
