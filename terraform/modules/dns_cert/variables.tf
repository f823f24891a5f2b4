variable "root_domain" {
  description = "The platform's root domain, e.g. sukowati.id; regencies live at <slug>.<root_domain>. Must equal SUKOWATI_ROOT_DOMAIN."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.root_domain))
    error_message = "root_domain must be a lower-case domain name without a trailing dot or wildcard."
  }
}

variable "zone_id" {
  description = "Route 53 hosted zone of root_domain (created and delegated once, outside this stack)."
  type        = string
}

variable "alb_dns_name" {
  description = "Load balancer DNS name the records alias."
  type        = string
}

variable "alb_zone_id" {
  description = "Load balancer hosted zone id."
  type        = string
}
