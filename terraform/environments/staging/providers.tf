provider "aws" {
  region = var.region

  # Refuse to run against any other account by mistake (set in terraform.tfvars).
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = {
      Project     = "sukowati"
      Environment = local.environment
      ManagedBy   = "terraform"
      DataClass   = "public-sector-indonesia"
    }
  }
}
