output "service_name" {
  description = "ECS service name, for CloudWatch dimensions (null for a task definition only)."
  value       = try(aws_ecs_service.this[0].name, null)
}

output "task_definition_arn" {
  description = "Task definition revision the service runs."
  value       = aws_ecs_task_definition.this.arn
}

output "task_definition_family" {
  description = "Task definition family (run-task uses the latest ACTIVE revision)."
  value       = aws_ecs_task_definition.this.family
}

output "task_role_arn" {
  description = "Role the application runs as."
  value       = aws_iam_role.task.arn
}
