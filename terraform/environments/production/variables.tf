# Production: Multi-AZ everything, deletion protection on, a year of logs.

variable "region" {
  description = "AWS region. Public-sector data stays in Indonesia: Jakarta only."
  type        = string
  default     = "ap-southeast-3"

  validation {
    condition     = var.region == "ap-southeast-3"
    error_message = "Sukowati runs in ap-southeast-3 (Jakarta) only: regency data must stay in Indonesia."
  }
}

variable "allowed_account_ids" {
  description = "The production AWS account id (a one-element list)."
  type        = list(string)
}

variable "root_domain" {
  description = "Root domain of the platform (SUKOWATI_ROOT_DOMAIN), e.g. sukowati.id."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone of root_domain."
  type        = string
}

variable "image_tag" {
  description = "Release to run (an immutable tag in the ECR repository)."
  type        = string
}

variable "migrate_image_tag" {
  description = "Release the migrate task runs, set one apply ahead of image_tag during a release; null = image_tag."
  type        = string
  default     = null
}

variable "alarm_emails" {
  description = "Who receives alarms."
  type        = list(string)
  default     = []
}

variable "extra_environment" {
  description = "Additional non-secret environment variables for every container."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "VPC range."
  type        = string
  default     = "10.40.0.0/16"
}

variable "single_nat_gateway" {
  description = "One NAT gateway per zone in production, so one zone's outage does not cut off the others."
  type        = bool
  default     = false
}

variable "db_instance_class" {
  description = "RDS instance class. r6g.large: 2 vCPU, 16 GiB, max_connections ~1,700."
  type        = string
  default     = "db.r6g.large"
}

variable "db_multi_az" {
  description = "Synchronous standby in a second zone with automatic failover."
  type        = bool
  default     = true
}

variable "db_allocated_storage" {
  description = "Initial database storage (GiB)."
  type        = number
  default     = 100
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling (GiB)."
  type        = number
  default     = 1000
}

variable "db_backup_retention_days" {
  description = "Point-in-time recovery window (days, max 35)."
  type        = number
  default     = 35
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database."
  type        = bool
  default     = true
}

variable "db_performance_insights_retention_days" {
  description = "Performance Insights retention (7 free, or multiples of 31)."
  type        = number
  default     = 31
}

variable "db_connections_alarm" {
  description = "Connections alarm threshold (~80 % of the instance class's max_connections)."
  type        = number
  default     = 1300
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.r7g.large"
}

variable "redis_replicas" {
  description = "Replicas beside the primary."
  type        = number
  default     = 1
}

variable "redis_automatic_failover" {
  description = "Promote the replica automatically when the primary fails."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "CloudWatch log retention (audit: a year)."
  type        = number
  default     = 365
}

variable "files_noncurrent_expiration_days" {
  description = "How long an overwritten or deleted tenant file can be recovered."
  type        = number
  default     = 365
}

variable "exports_expiration_days" {
  description = "How long tenant export archives are kept."
  type        = number
  default     = 180
}

variable "exports_object_lock_days" {
  description = "Object Lock (governance) on exports; only takes effect when the bucket is first created."
  type        = number
  default     = 30
}

variable "alb_deletion_protection" {
  description = "Refuse to delete the load balancer."
  type        = bool
  default     = true
}

variable "enable_execute_command" {
  description = "ECS Exec. Off in production: a shell in a task reads every regency's data."
  type        = bool
  default     = false

  validation {
    condition     = !var.enable_execute_command
    error_message = "ECS Exec stays off in production; use a one-off task (`manage ...`) instead."
  }
}

variable "web" {
  description = "Web service size and scaling."
  type = object({
    cpu                      = number
    memory                   = number
    min_capacity             = number
    max_capacity             = number
    cpu_target_percent       = number
    request_count_per_target = number
    gunicorn_workers         = number
  })
  default = {
    cpu                      = 1024
    memory                   = 2048
    min_capacity             = 3 # one per zone
    max_capacity             = 12
    cpu_target_percent       = 60
    request_count_per_target = 600 # per minute per task
    gunicorn_workers         = 3
  }
}

variable "worker" {
  description = "Celery worker size and scaling."
  type = object({
    cpu                = number
    memory             = number
    min_capacity       = number
    max_capacity       = number
    cpu_target_percent = number
    concurrency        = number
  })
  default = {
    cpu                = 1024
    memory             = 2048
    min_capacity       = 2
    max_capacity       = 8
    cpu_target_percent = 70
    concurrency        = 4
  }
}

variable "beat" {
  description = "Celery beat size (the count is always 1)."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 256
    memory = 512
  }
}
