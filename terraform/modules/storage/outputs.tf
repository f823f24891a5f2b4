output "files_bucket" {
  description = "Bucket name for tenant files (AWS_STORAGE_BUCKET_NAME)."
  value       = aws_s3_bucket.this["files"].id
}

output "files_bucket_arn" {
  description = "ARN of the files bucket, for task role policies."
  value       = aws_s3_bucket.this["files"].arn
}

output "exports_bucket" {
  description = "Bucket name for tenant export archives."
  value       = aws_s3_bucket.this["exports"].id
}

output "exports_bucket_arn" {
  description = "ARN of the exports bucket, for task role policies."
  value       = aws_s3_bucket.this["exports"].arn
}

output "logs_bucket" {
  description = "Bucket receiving S3 and ALB access logs (ALB logs under alb/)."
  value       = aws_s3_bucket.logs.id
}
