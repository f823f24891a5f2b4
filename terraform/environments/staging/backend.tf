# Remote state in S3 with DynamoDB locking. Partial configuration: the values
# live in backend.hcl (copy backend.hcl.example), so no account-specific name is
# committed, and `terraform init -backend-config=backend.hcl` supplies them.
# The state holds generated secrets (database password, Redis token): the state
# bucket is KMS-encrypted, versioned, private and readable by the deploy role only.
terraform {
  backend "s3" {}
}
