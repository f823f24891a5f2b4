variable "name" {
  description = "Service name: web, worker or beat."
  type        = string
}

variable "prefix" {
  description = "Environment prefix, e.g. sukowati-production."
  type        = string
}

variable "cluster_id" {
  description = "ECS cluster ARN."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster name, for the autoscaling resource id."
  type        = string
}

variable "image" {
  description = "Container image reference (repository:tag, an immutable tag per release)."
  type        = string
}

variable "command" {
  description = "Command override; the image's entrypoint stays in place."
  type        = list(string)
}

variable "cpu" {
  description = "Fargate task CPU units (256, 512, 1024, 2048, 4096)."
  type        = number
}

variable "memory" {
  description = "Fargate task memory in MiB, valid for the chosen cpu."
  type        = number
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64; must match the image."
  type        = string
  default     = "X86_64"
}

variable "run_as_service" {
  description = "false: only the task definition (and its role), for one-off tasks such as `migrate` started with run-task."
  type        = bool
  default     = true
}

variable "desired_count" {
  description = "Tasks at creation. Autoscaled services then move within [min, max]; Terraform does not reset the live count."
  type        = number
}

variable "deployment_minimum_healthy_percent" {
  description = "Lower bound of running tasks during a deployment."
  type        = number
  default     = 100
}

variable "deployment_maximum_percent" {
  description = "Upper bound of running tasks during a deployment. 100 with minimum 0 means stop-then-start (needed for singletons)."
  type        = number
  default     = 200
}

variable "environment" {
  description = "Plain environment variables (no secrets)."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variable name -> Secrets Manager ARN, injected at task start by the execution role."
  type        = map(string)
  default     = {}
}

variable "execution_role_arn" {
  description = "Role ECS uses to pull the image, write logs and read the secrets."
  type        = string
}

variable "task_policy_enabled" {
  description = "Attach task_policy_json to the task role (a bool of its own: the JSON is unknown until the buckets exist, and count must be known at plan time)."
  type        = bool
  default     = false
}

variable "task_policy_json" {
  description = "IAM policy for the application inside the task (the S3 and KMS access it needs)."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Private app subnets."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the tasks."
  type        = list(string)
}

variable "log_group_name" {
  description = "CloudWatch log group of the service."
  type        = string
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into the containers (never in production)."
  type        = bool
  default     = false
}

variable "exec_kms_key_arn" {
  description = "Key the cluster encrypts ECS Exec sessions with (task role may decrypt it when Exec is on)."
  type        = string
  default     = null
}

variable "exec_log_group_arn" {
  description = "Log group receiving ECS Exec session logs (task role may write it when Exec is on)."
  type        = string
  default     = null
}

variable "readonly_root_filesystem" {
  description = "Mount the image read-only; /tmp is a writable task-local volume."
  type        = bool
  default     = true
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL (Fargate allows up to 120)."
  type        = number
  default     = 30
}

variable "container_port" {
  description = "Port the container listens on, or null for services without one (worker, beat)."
  type        = number
  default     = null
}

variable "target_group_arn" {
  description = "ALB target group to register with, or null."
  type        = string
  default     = null
}

variable "health_check_command" {
  description = "Container health check (CMD-SHELL form), or null."
  type        = list(string)
  default     = null
}

variable "autoscaling" {
  description = "Autoscaling bounds and targets, or null for a fixed count. request_count_per_target and alb_resource_label only for services behind the ALB."
  type = object({
    min_capacity             = number
    max_capacity             = number
    cpu_target_percent       = number
    request_count_per_target = optional(number)
    alb_resource_label       = optional(string)
  })
  default = null
}
