output "address" {
  description = "Endpoint hostname (follows the primary across a Multi-AZ failover)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "The database holding every schema."
  value       = aws_db_instance.this.db_name
}

output "username" {
  description = "Master user the application connects as."
  value       = aws_db_instance.this.username
}

output "identifier" {
  description = "RDS instance identifier, for CloudWatch dimensions."
  value       = aws_db_instance.this.identifier
}

output "security_group_id" {
  description = "The database's security group."
  value       = aws_security_group.this.id
}
