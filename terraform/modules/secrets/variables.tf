variable "name" {
  description = "Prefix for secret names, e.g. sukowati-production (secrets are named <name>/<VARIABLE>)."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key that encrypts every secret."
  type        = string
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once; use 7-30)."
  type        = number
  default     = 30
}

variable "database_host" {
  description = "RDS endpoint address, for DATABASE_URL."
  type        = string
}

variable "database_port" {
  description = "RDS port, for DATABASE_URL."
  type        = number
}

variable "database_name" {
  description = "Database name, for DATABASE_URL."
  type        = string
}

variable "database_username" {
  description = "Database user the application connects as, for DATABASE_URL."
  type        = string
}

variable "redis_host" {
  description = "ElastiCache primary endpoint, for REDIS_URL."
  type        = string
}

variable "redis_port" {
  description = "ElastiCache port, for REDIS_URL."
  type        = number
}
