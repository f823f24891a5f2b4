output "primary_endpoint" {
  description = "Primary endpoint hostname (follows failover)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "port" {
  description = "Redis port."
  value       = aws_elasticache_replication_group.this.port
}

output "replication_group_id" {
  description = "Replication group id, for CloudWatch dimensions."
  value       = aws_elasticache_replication_group.this.id
}

output "node_ids" {
  description = "Node ids (<group>-001, -002, ...), known at plan time, for per-node CloudWatch alarms."
  value       = [for i in range(var.replicas + 1) : format("%s-%03d", var.name, i + 1)]
}

output "security_group_id" {
  description = "The cache's security group."
  value       = aws_security_group.this.id
}
