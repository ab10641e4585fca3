# The single table (DESIGN.md "The single table"): PK/SK, three local indexes on the same
# partition (LSI1 by time, LSI2 by local day, LSI3 by last change: the sync feed), one
# global index (GSI1, goals by status, with each goal's type and reminder for the reminders
# pass, and pending pushes), TTL on expiresAt. Local indexes exist only if the table is
# created with them: adding one to an existing table replaces it (README "Moving a table to
# a new layout").
# tests/infra/test_table_parity.py checks this against the PynamoDB model and create-table.
resource "aws_dynamodb_table" "main" {
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS-managed DynamoDB key; a customer-managed key would add a key policy to run and pay for without a requirement that asks for one.
  name                        = local.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "PK"
  range_key                   = "SK"
  deletion_protection_enabled = local.is_prod

  attribute {
    name = "PK"
    type = "S"
  }

  attribute {
    name = "SK"
    type = "S"
  }

  attribute {
    name = "LSI1SK"
    type = "S"
  }

  attribute {
    name = "LSI2SK"
    type = "S"
  }

  attribute {
    name = "LSI3SK"
    type = "S"
  }

  attribute {
    name = "GSI1PK"
    type = "S"
  }

  attribute {
    name = "GSI1SK"
    type = "S"
  }

  local_secondary_index {
    name            = "LSI1"
    range_key       = "LSI1SK"
    projection_type = "ALL"
  }

  local_secondary_index {
    name            = "LSI2"
    range_key       = "LSI2SK"
    projection_type = "ALL"
  }

  local_secondary_index {
    name            = "LSI3"
    range_key       = "LSI3SK"
    projection_type = "ALL"
  }

  # hash_key/range_key work on every 6.x provider; newer 6.x releases also accept (and
  # prefer) key_schema blocks here and warn about these two. Move when the floor is raised.
  global_secondary_index {
    name               = "GSI1"
    hash_key           = "GSI1PK"
    range_key          = "GSI1SK"
    projection_type    = "INCLUDE"
    non_key_attributes = ["kind", "category", "status", "type", "reminder"]
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  # Every user's data is here: an apply never destroys or replaces the table (a change to
  # its keys or local indexes would), whatever the plan says (prod also has deletion
  # protection, and its deploy role cannot call DeleteTable).
  lifecycle {
    prevent_destroy = true
  }
}
