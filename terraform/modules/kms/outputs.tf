output "logs_key_arn" {
  description = "Key for CloudWatch log groups and the alarm topic."
  value       = aws_kms_key.logs.arn
}

output "data_key_arn" {
  description = "Key for RDS, ElastiCache, Secrets Manager and ECR."
  value       = aws_kms_key.data.arn
}

output "storage_key_arn" {
  description = "Key for the S3 buckets."
  value       = aws_kms_key.storage.arn
}
