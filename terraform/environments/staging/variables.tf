# Staging: the production layout at a fraction of the cost: single-AZ database,
# one Redis node, one NAT gateway, no deletion protection, ECS Exec allowed.
# Same region rule: staging holds copies of real regency data during rehearsals.

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
  description = "The staging AWS account id (a one-element list)."
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
  default     = "10.30.0.0/16"
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway: staging tolerates losing egress with one zone."
  type        = bool
  default     = true
}

variable "db_instance_class" {
  description = "RDS instance class. t4g.medium: 2 vCPU (burstable), 4 GiB, max_connections ~400."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_multi_az" {
  description = "No standby in staging (half the cost); production runs Multi-AZ."
  type        = bool
  default     = false
}

variable "db_allocated_storage" {
  description = "Initial database storage (GiB)."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling (GiB)."
  type        = number
  default     = 100
}

variable "db_backup_retention_days" {
  description = "Point-in-time recovery window (days, max 35)."
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "Staging can be torn down and rebuilt."
  type        = bool
  default     = false
}

variable "db_performance_insights_retention_days" {
  description = "Performance Insights retention (7 free, or multiples of 31)."
  type        = number
  default     = 7
}

variable "db_connections_alarm" {
  description = "Connections alarm threshold (~80 % of the instance class's max_connections)."
  type        = number
  default     = 320
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "redis_replicas" {
  description = "Replicas beside the primary."
  type        = number
  default     = 0
}

variable "redis_automatic_failover" {
  description = "No replica to promote in staging."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "CloudWatch log retention."
  type        = number
  default     = 90
}

variable "files_noncurrent_expiration_days" {
  description = "How long an overwritten or deleted tenant file can be recovered."
  type        = number
  default     = 30
}

variable "exports_expiration_days" {
  description = "How long tenant export archives are kept."
  type        = number
  default     = 30
}

variable "exports_object_lock_days" {
  description = "Object Lock (governance) on exports; only takes effect when the bucket is first created."
  type        = number
  default     = 0
}

variable "alb_deletion_protection" {
  description = "Staging's load balancer can be deleted."
  type        = bool
  default     = false
}

variable "enable_execute_command" {
  description = "ECS Exec for debugging staging (sessions are KMS-encrypted and logged)."
  type        = bool
  default     = true
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
    cpu                      = 512
    memory                   = 1024
    min_capacity             = 1
    max_capacity             = 3
    cpu_target_percent       = 60
    request_count_per_target = 600 # per minute per task
    gunicorn_workers         = 2
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
    cpu                = 512
    memory             = 1024
    min_capacity       = 1
    max_capacity       = 2
    cpu_target_percent = 70
    concurrency        = 2
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
