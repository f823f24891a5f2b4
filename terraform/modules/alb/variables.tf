variable "name" {
  description = "Prefix, e.g. sukowati-production (ALB names are limited to 32 characters)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets, one per zone."
  type        = list(string)
}

variable "certificate_arn" {
  description = "Validated ACM certificate covering the root domain and *.root."
  type        = string
}

variable "app_port" {
  description = "Port gunicorn listens on inside the web task."
  type        = number
  default     = 8000
}

variable "health_check_path" {
  description = "Liveness path. /healthz answers before any host check, so the ALB's IP Host header is fine."
  type        = string
  default     = "/healthz"
}

variable "app_security_group_id" {
  description = "Security group of the web tasks (the only egress destination of the ALB)."
  type        = string
}

variable "logs_bucket" {
  description = "Bucket for ALB access logs (SSE-S3)."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse deletion of the load balancer (production)."
  type        = bool
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener: TLS 1.3 and 1.2 only."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "waf_rate_limit_per_5_minutes" {
  description = "Requests per 5 minutes from one IP before WAF blocks it. A regency office puts all its counters behind one NAT address, so keep this generous."
  type        = number
  default     = 6000
}

variable "logs_kms_key_arn" {
  description = "Key for the WAF log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the WAF log group."
  type        = number
}
