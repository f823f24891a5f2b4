output "secret_arns" {
  description = "Environment variable name -> secret ARN, for the task definitions."
  value       = { for key, secret in aws_secretsmanager_secret.this : key => secret.arn }
}

output "database_password" {
  description = "RDS master password (also inside DATABASE_URL)."
  value       = random_password.database.result
  sensitive   = true
}

output "redis_auth_token" {
  description = "ElastiCache AUTH token (also inside REDIS_URL)."
  value       = random_password.redis_auth_token.result
  sensitive   = true
}
