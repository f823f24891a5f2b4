# The application on ECS Fargate: one image, three services and a one-off task.
#   web     gunicorn behind the ALB; autoscaled on CPU and on requests per target
#   worker  Celery worker; autoscaled on CPU (queue-depth scaling: docs/decisions/aws.md)
#   beat    Celery beat; EXACTLY ONE task, stopped before its replacement starts,
#           because a second beat would queue every periodic task twice
#   migrate task definition only, started once per release with run-task
#           (migrate_schemas --shared, then fleet_migrate; advisory-locked)

data "aws_region" "current" {}

locals {
  image         = "${aws_ecr_repository.this.repository_url}:${var.image_tag}"
  migrate_image = "${aws_ecr_repository.this.repository_url}:${coalesce(var.migrate_image_tag, var.image_tag)}"

  environment = merge(
    {
      SUKOWATI_ENV            = "production"
      SUKOWATI_ROOT_DOMAIN    = var.root_domain
      AWS_STORAGE_BUCKET_NAME = var.files_bucket
      AWS_S3_REGION_NAME      = data.aws_region.current.name
      SUKOWATI_EXPORTS_BUCKET = var.exports_bucket
      DATABASE_CONN_MAX_AGE   = "60"
      LOG_LEVEL               = "INFO"
      # Migrations run in the one-off `migrate` task, never on replica start.
      MIGRATE_ON_START = "0"
      # The image's filesystem is read-only; scratch files and beat's schedule
      # go to the task-local /tmp volume.
      SUKOWATI_VAR_DIR          = "/tmp/sukowati"
      CELERY_BEAT_SCHEDULE_FILE = "/tmp/celerybeat-schedule"
    },
    var.extra_environment,
  )

  common = {
    prefix                   = var.name
    cluster_id               = aws_ecs_cluster.this.arn
    cluster_name             = aws_ecs_cluster.this.name
    image                    = local.image
    cpu_architecture         = var.cpu_architecture
    execution_role_arn       = aws_iam_role.execution.arn
    subnet_ids               = var.subnet_ids
    security_group_ids       = [aws_security_group.tasks.id]
    secrets                  = var.secret_arns
    enable_execute_command   = var.enable_execute_command
    exec_kms_key_arn         = var.logs_kms_key_arn
    exec_log_group_arn       = aws_cloudwatch_log_group.exec.arn
    readonly_root_filesystem = var.readonly_root_filesystem
  }
}

# --- image repository -------------------------------------------------------------

resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = "IMMUTABLE" # a tag is one release, forever

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.data_kms_key_arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 50 releases (rollback range)"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 50
      }
      action = { type = "expire" }
    }]
  })
}

# --- cluster ------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "exec" {
  #checkov:skip=CKV_AWS_338:Retention is set per environment (var.log_retention_days): 365 days in production, shorter in staging.
  name              = "/sukowati/${var.name}/ecs-exec"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  # Where ECS Exec is allowed (staging), its sessions are encrypted and logged.
  configuration {
    execute_command_configuration {
      kms_key_id = var.logs_kms_key_arn
      logging    = "OVERRIDE"

      log_configuration {
        cloud_watch_encryption_enabled = true
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec.name
      }
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "service" {
  #checkov:skip=CKV_AWS_338:Retention is set per environment (var.log_retention_days): 365 days in production, shorter in staging.
  for_each = toset(["web", "worker", "beat", "migrate"])

  name              = "/sukowati/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

# --- networking ---------------------------------------------------------------------

resource "aws_security_group" "tasks" {
  #checkov:skip=CKV2_AWS_5:Attached to every task: the web, worker, beat and migrate modules get it through local.common.security_group_ids into their network_configuration, a path the graph check does not follow.
  name        = "${var.name}-tasks"
  description = "ECS tasks: HTTP from the ALB; out to PostgreSQL, Redis, S3 and HTTPS APIs"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-tasks" }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "gunicorn from the load balancer"
  referenced_security_group_id = var.alb_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
}

resource "aws_vpc_security_group_egress_rule" "postgres" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "PostgreSQL"
  referenced_security_group_id = var.database_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_egress_rule" "redis" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "Redis (TLS)"
  referenced_security_group_id = var.cache_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_vpc_security_group_egress_rule" "s3" {
  security_group_id = aws_security_group.tasks.id
  description       = "S3 through the gateway endpoint"
  prefix_list_id    = var.s3_prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS via NAT: ECR, Secrets Manager, CloudWatch Logs, Stripe"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "smtp" {
  security_group_id = aws_security_group.tasks.id
  description       = "SMTP submission (STARTTLS) for EMAIL_URL, e.g. Amazon SES"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 587
  to_port           = 587
}

# --- IAM -----------------------------------------------------------------------------

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Execution role: used by ECS itself, before the application starts, to pull
# the image, create log streams and resolve the secrets into the environment.
resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution_managed" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "ReadThisEnvironmentsSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = values(var.secret_arns)
  }

  statement {
    sid       = "DecryptSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.data_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

# Task policy for web, worker and migrate: the two buckets and their key, and
# nothing else. Secrets arrive as environment variables, so the application
# itself needs no Secrets Manager access. Beat touches neither and gets none.
data "aws_iam_policy_document" "storage" {
  statement {
    sid       = "ListTheBuckets"
    actions   = ["s3:ListBucket"]
    resources = [var.files_bucket_arn, var.exports_bucket_arn]
  }

  statement {
    sid = "ReadWriteObjects"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]
    resources = ["${var.files_bucket_arn}/*", "${var.exports_bucket_arn}/*"]
  }

  statement {
    sid       = "UseTheStorageKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.storage_kms_key_arn]
  }
}

# --- services --------------------------------------------------------------------------

module "web" {
  source = "../ecs_service"

  name    = "web"
  command = ["web"]
  cpu     = var.web.cpu
  memory  = var.web.memory

  desired_count    = var.web.min_capacity
  container_port   = var.app_port
  target_group_arn = var.target_group_arn
  # The image's own probe of /healthz (ECS ignores the Dockerfile HEALTHCHECK).
  health_check_command = ["CMD", "python", "/app/infra/entrypoint.py", "healthcheck"]
  stop_timeout         = 30

  environment         = merge(local.environment, { WEB_CONCURRENCY = tostring(var.web.gunicorn_workers), PORT = tostring(var.app_port) })
  log_group_name      = aws_cloudwatch_log_group.service["web"].name
  task_policy_enabled = true
  task_policy_json    = data.aws_iam_policy_document.storage.json

  autoscaling = {
    min_capacity             = var.web.min_capacity
    max_capacity             = var.web.max_capacity
    cpu_target_percent       = var.web.cpu_target_percent
    request_count_per_target = var.web.request_count_per_target
    alb_resource_label       = var.alb_resource_label
  }

  prefix                   = local.common.prefix
  cluster_id               = local.common.cluster_id
  cluster_name             = local.common.cluster_name
  image                    = local.common.image
  cpu_architecture         = local.common.cpu_architecture
  execution_role_arn       = local.common.execution_role_arn
  subnet_ids               = local.common.subnet_ids
  security_group_ids       = local.common.security_group_ids
  secrets                  = local.common.secrets
  enable_execute_command   = local.common.enable_execute_command
  exec_kms_key_arn         = local.common.exec_kms_key_arn
  exec_log_group_arn       = local.common.exec_log_group_arn
  readonly_root_filesystem = local.common.readonly_root_filesystem
}

module "worker" {
  source = "../ecs_service"

  name    = "worker"
  command = ["worker"]
  cpu     = var.worker.cpu
  memory  = var.worker.memory

  desired_count = var.worker.min_capacity
  # Fargate's maximum: a task gets two minutes to finish before SIGKILL (tasks
  # are acked late, so a killed one is redelivered, not lost).
  stop_timeout = 120

  environment         = merge(local.environment, { CELERY_CONCURRENCY = tostring(var.worker.concurrency) })
  log_group_name      = aws_cloudwatch_log_group.service["worker"].name
  task_policy_enabled = true
  task_policy_json    = data.aws_iam_policy_document.storage.json

  autoscaling = {
    min_capacity       = var.worker.min_capacity
    max_capacity       = var.worker.max_capacity
    cpu_target_percent = var.worker.cpu_target_percent
  }

  prefix                   = local.common.prefix
  cluster_id               = local.common.cluster_id
  cluster_name             = local.common.cluster_name
  image                    = local.common.image
  cpu_architecture         = local.common.cpu_architecture
  execution_role_arn       = local.common.execution_role_arn
  subnet_ids               = local.common.subnet_ids
  security_group_ids       = local.common.security_group_ids
  secrets                  = local.common.secrets
  enable_execute_command   = local.common.enable_execute_command
  exec_kms_key_arn         = local.common.exec_kms_key_arn
  exec_log_group_arn       = local.common.exec_log_group_arn
  readonly_root_filesystem = local.common.readonly_root_filesystem
}

module "beat" {
  source = "../ecs_service"

  name    = "beat"
  command = ["beat"]
  cpu     = var.beat.cpu
  memory  = var.beat.memory

  # Exactly one beat, always: two would queue every periodic task twice. Not a
  # variable, no autoscaling, and a deployment stops the old task before it
  # starts the new one (maximum 100 %, minimum 0 %).
  desired_count                      = 1
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 0
  autoscaling                        = null

  environment    = local.environment
  log_group_name = aws_cloudwatch_log_group.service["beat"].name
  # Beat only publishes messages: no S3, no task policy.
  task_policy_enabled = false

  prefix                   = local.common.prefix
  cluster_id               = local.common.cluster_id
  cluster_name             = local.common.cluster_name
  image                    = local.common.image
  cpu_architecture         = local.common.cpu_architecture
  execution_role_arn       = local.common.execution_role_arn
  subnet_ids               = local.common.subnet_ids
  security_group_ids       = local.common.security_group_ids
  secrets                  = local.common.secrets
  enable_execute_command   = local.common.enable_execute_command
  exec_kms_key_arn         = local.common.exec_kms_key_arn
  exec_log_group_arn       = local.common.exec_log_group_arn
  readonly_root_filesystem = local.common.readonly_root_filesystem
}

module "migrate" {
  source = "../ecs_service"

  name           = "migrate"
  command        = ["migrate"]
  cpu            = var.worker.cpu
  memory         = var.worker.memory
  run_as_service = false
  desired_count  = 0

  environment         = local.environment
  log_group_name      = aws_cloudwatch_log_group.service["migrate"].name
  task_policy_enabled = true
  task_policy_json    = data.aws_iam_policy_document.storage.json

  prefix                   = local.common.prefix
  cluster_id               = local.common.cluster_id
  cluster_name             = local.common.cluster_name
  image                    = local.migrate_image
  cpu_architecture         = local.common.cpu_architecture
  execution_role_arn       = local.common.execution_role_arn
  subnet_ids               = local.common.subnet_ids
  security_group_ids       = local.common.security_group_ids
  secrets                  = local.common.secrets
  enable_execute_command   = local.common.enable_execute_command
  exec_kms_key_arn         = local.common.exec_kms_key_arn
  exec_log_group_arn       = local.common.exec_log_group_arn
  readonly_root_filesystem = local.common.readonly_root_filesystem
}
