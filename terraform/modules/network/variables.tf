variable "name" {
  description = "Prefix for every resource name, e.g. sukowati-production."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's IPv4 range. Each tier takes one /20 (or smaller, per the range) per AZ."
  type        = string
}

variable "zone_ids" {
  description = "Availability zone ids to spread over (ids, not names: names are shuffled per account, ids are not). Jakarta (ap-southeast-3) has three."
  type        = list(string)
  default     = ["apse3-az1", "apse3-az2", "apse3-az3"]

  validation {
    condition     = length(var.zone_ids) >= 2 && length(var.zone_ids) <= 3
    error_message = "Give 2 or 3 zone ids: RDS Multi-AZ and the ALB need at least two zones."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, staging) instead of one per zone (production: a zone outage does not cut the others off)."
  type        = bool
  default     = false
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group."
  type        = number
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts CloudWatch log groups."
  type        = string
}
