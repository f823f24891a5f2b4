variable "name" {
  description = "Prefix, e.g. sukowati-production."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "subnet_ids" {
  description = "Private app subnets."
  type        = list(string)
}

variable "image_tag" {
  description = "Release tag in this environment's ECR repository (immutable tags: one per release)."
  type        = string
}

variable "migrate_image_tag" {
  description = "Release the one-off migrate task runs; null = image_tag. A release first applies the new tag here, runs the migration, then moves image_tag (docs/decisions/aws.md, \"Releasing\")."
  type        = string
  default     = null
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64; must match the image."
  type        = string
  default     = "X86_64"
}

variable "root_domain" {
  description = "SUKOWATI_ROOT_DOMAIN: regencies are <slug>.<root_domain>."
  type        = string
}

variable "app_port" {
  description = "Port gunicorn listens on."
  type        = number
  default     = 8000
}

variable "web" {
  description = "Size and scaling of the web service."
  type = object({
    cpu                      = number
    memory                   = number
    min_capacity             = number
    max_capacity             = number
    cpu_target_percent       = number
    request_count_per_target = number
    gunicorn_workers         = number
  })
}

variable "worker" {
  description = "Size and scaling of the Celery worker service."
  type = object({
    cpu                = number
    memory             = number
    min_capacity       = number
    max_capacity       = number
    cpu_target_percent = number
    concurrency        = number
  })
}

variable "beat" {
  description = "Size of the Celery beat task. Its count is fixed at exactly 1 and not configurable."
  type = object({
    cpu    = number
    memory = number
  })
}

variable "extra_environment" {
  description = "More plain environment variables for every container (production settings, feature switches). Never secrets."
  type        = map(string)
  default     = {}
}

variable "secret_arns" {
  description = "Environment variable name -> Secrets Manager ARN, from the secrets module."
  type        = map(string)
}

variable "data_kms_key_arn" {
  description = "Key of the secrets and the ECR repository."
  type        = string
}

variable "storage_kms_key_arn" {
  description = "Key of the S3 buckets."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "Key of the log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the application log groups."
  type        = number
}

variable "files_bucket" {
  description = "Name of the tenant files bucket (AWS_STORAGE_BUCKET_NAME)."
  type        = string
}

variable "files_bucket_arn" {
  description = "ARN of the tenant files bucket."
  type        = string
}

variable "exports_bucket" {
  description = "Name of the tenant exports bucket."
  type        = string
}

variable "exports_bucket_arn" {
  description = "ARN of the tenant exports bucket."
  type        = string
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer (the only source of inbound traffic)."
  type        = string
}

variable "target_group_arn" {
  description = "Target group the web service registers with."
  type        = string
}

variable "alb_resource_label" {
  description = "<alb arn suffix>/<target group arn suffix>, for request-count scaling."
  type        = string
}

variable "database_security_group_id" {
  description = "Security group of RDS (egress on 5432)."
  type        = string
}

variable "cache_security_group_id" {
  description = "Security group of ElastiCache (egress on 6379)."
  type        = string
}

variable "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint."
  type        = string
}

variable "enable_execute_command" {
  description = "ECS Exec into containers. Never in production: a shell there reads every regency's data."
  type        = bool
  default     = false
}

variable "readonly_root_filesystem" {
  description = "Read-only image filesystem with a writable /tmp volume. Needs `VOLUME [\"/tmp\"]` in the image so that the volume is writable by its non-root user."
  type        = bool
  default     = true
}
