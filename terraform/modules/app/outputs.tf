output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "ecr_repository_url" {
  description = "Push release images here (docker push <url>:<tag>)."
  value       = aws_ecr_repository.this.repository_url
}

output "service_names" {
  description = "ECS service names, for alarms and deployments."
  value = {
    web    = module.web.service_name
    worker = module.worker.service_name
    beat   = module.beat.service_name
  }
}

output "task_security_group_id" {
  description = "Security group of every task."
  value       = aws_security_group.tasks.id
}

output "migrate_task_definition_family" {
  description = "Task definition family of the one-off migration task."
  value       = module.migrate.task_definition_family
}

output "migrate_run_task_command" {
  description = "The command that migrates every schema for a release, before the services are updated."
  value = join(" ", [
    "aws ecs run-task --region ${data.aws_region.current.name}",
    "--cluster ${aws_ecs_cluster.this.name}",
    "--task-definition ${module.migrate.task_definition_family}",
    "--launch-type FARGATE",
    "--network-configuration 'awsvpcConfiguration={subnets=[${join(",", var.subnet_ids)}],securityGroups=[${aws_security_group.tasks.id}],assignPublicIp=DISABLED}'",
  ])
}
