variable "name" {
  description = "Bucket name prefix, e.g. sukowati-production; the account id is appended for global uniqueness."
  type        = string
}

variable "kms_key_arn" {
  description = "Key for SSE-KMS on the files and exports buckets."
  type        = string
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete non-empty buckets (staging only, never production)."
  type        = bool
  default     = false
}

variable "files_noncurrent_ia_days" {
  description = "Days after which an overwritten or deleted file version moves to STANDARD_IA."
  type        = number
  default     = 30
}

variable "files_noncurrent_expiration_days" {
  description = "Days after which an overwritten or deleted file version is removed for good (the undo window)."
  type        = number
}

variable "exports_expiration_days" {
  description = "Days a tenant export archive is kept. Exports hold a whole regency's data (citizens' records), so they do not live forever."
  type        = number
}

variable "exports_object_lock_days" {
  description = "If > 0, exports get S3 Object Lock (GOVERNANCE mode) for this many days: nobody without s3:BypassGovernanceRetention can delete or overwrite an archive early. Object Lock can only be switched on when the bucket is created."
  type        = number
  default     = 0
}

variable "logs_expiration_days" {
  description = "Days the S3 and ALB access logs are kept."
  type        = number
}
