output "ecr_repository_url" {
  description = "Push release images here."
  value       = module.app.ecr_repository_url
}

output "migrate_run_task_command" {
  description = "Run before every release's service update: migrates public, then the fleet."
  value       = module.app.migrate_run_task_command
}

output "cluster_name" {
  description = "ECS cluster."
  value       = module.app.cluster_name
}

output "alb_dns_name" {
  description = "Load balancer hostname (the root and wildcard records alias it)."
  value       = module.alb.dns_name
}

output "certificate_domains" {
  description = "Names the certificate covers: the root domain and *.root."
  value       = module.dns_cert.domains
}

output "secret_arns" {
  description = "Secrets by variable name; set the operator-managed ones before the first deployment."
  value       = module.secrets.secret_arns
}

output "files_bucket" {
  description = "Tenant files bucket."
  value       = module.storage.files_bucket
}

output "exports_bucket" {
  description = "Tenant exports bucket."
  value       = module.storage.exports_bucket
}

output "alarm_topic_arn" {
  description = "Alarm SNS topic."
  value       = module.monitoring.alarm_topic_arn
}
