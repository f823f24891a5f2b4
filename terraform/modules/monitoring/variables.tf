variable "name" {
  description = "Prefix, e.g. sukowati-production."
  type        = string
}

variable "kms_key_arn" {
  description = "Key of the alarm topic (its policy lets CloudWatch publish)."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (each confirms by e-mail once)."
  type        = list(string)
  default     = []
}

variable "alb_arn_suffix" {
  description = "Load balancer ARN suffix."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "Web target group ARN suffix."
  type        = string
}

variable "db_identifier" {
  description = "RDS instance identifier."
  type        = string
}

variable "db_free_storage_threshold_gib" {
  description = "Alarm when free database storage falls below this (storage autoscaling may be at its ceiling)."
  type        = number
  default     = 10
}

variable "db_connections_threshold" {
  description = "Alarm above this many database connections (set to ~80 % of max_connections of the instance class)."
  type        = number
}

variable "redis_node_ids" {
  description = "ElastiCache node ids."
  type        = list(string)
}

variable "cluster_name" {
  description = "ECS cluster name."
  type        = string
}

variable "service_names" {
  description = "ECS service names keyed web, worker, beat."
  type        = map(string)
}

variable "alb_5xx_rate_percent" {
  description = "Alarm when more than this percentage of requests end in a 5xx (from the targets or the ALB)."
  type        = number
  default     = 5
}

variable "response_time_p95_seconds" {
  description = "Alarm when the 95th percentile target response time exceeds this."
  type        = number
  default     = 2
}

variable "queue_depth_alarm_enabled" {
  description = "Alarm on the custom metric Sukowati/Celery QueueDepth. Off until the application publishes it (docs/decisions/aws.md)."
  type        = bool
  default     = false
}

variable "queue_depth_threshold" {
  description = "Alarm when this many messages wait in the default queue for 10 minutes."
  type        = number
  default     = 500
}
