variable "name" {
  description = "Identifier prefix, e.g. sukowati-production."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cache."
  type        = string
}

variable "subnet_ids" {
  description = "Private data subnets, one per zone."
  type        = list(string)
}

variable "node_type" {
  description = "ElastiCache node type, e.g. cache.t4g.small (staging), cache.r7g.large (production)."
  type        = string
}

variable "replicas" {
  description = "Read replicas beside the primary (0 = single node). Automatic failover needs at least 1."
  type        = number
}

variable "automatic_failover" {
  description = "Promote a replica when the primary fails (production). Requires replicas >= 1."
  type        = bool
}

variable "engine_version" {
  description = "Redis engine version."
  type        = string
  default     = "7.1"
}

variable "auth_token" {
  description = "AUTH token, generated and stored in Secrets Manager by the secrets module."
  type        = string
  sensitive   = true
}

variable "kms_key_arn" {
  description = "Key for encryption at rest and of snapshots."
  type        = string
}

variable "snapshot_retention_days" {
  description = "Daily snapshots kept. Redis holds the Celery queue and caches, not records, so a few days suffice."
  type        = number
  default     = 3
}

variable "allowed_security_group_ids" {
  description = "Security groups (the ECS tasks) allowed to connect on 6379."
  type        = list(string)
}

variable "logs_kms_key_arn" {
  description = "Key for the slow-log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the Redis slow log."
  type        = number
}
