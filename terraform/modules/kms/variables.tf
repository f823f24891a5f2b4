variable "name" {
  description = "Prefix for key aliases, e.g. sukowati-production."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion takes effect (7-30)."
  type        = number
  default     = 30
}
