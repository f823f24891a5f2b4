# One ECS Fargate service (web, worker or beat): task role, task definition,
# service and, optionally, autoscaling. The same image runs all three; only the
# command, size and count differ.

data "aws_region" "current" {}

locals {
  full_name = "${var.prefix}-${var.name}"
  behind_lb = var.target_group_arn != null

  container = merge(
    {
      name      = var.name
      image     = var.image
      essential = true
      command   = var.command

      environment = [for key in sort(keys(var.environment)) : { name = key, value = var.environment[key] }]
      secrets     = [for key in sort(keys(var.secrets)) : { name = key, valueFrom = var.secrets[key] }]

      readonlyRootFilesystem = var.readonly_root_filesystem
      mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
      # An init process reaps zombies and forwards SIGTERM to gunicorn/celery.
      linuxParameters = { initProcessEnabled = true }
      stopTimeout     = var.stop_timeout

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_group_name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = var.name
        }
      }
    },
    var.container_port == null ? {} : {
      portMappings = [{ containerPort = var.container_port, protocol = "tcp" }]
    },
    var.health_check_command == null ? {} : {
      healthCheck = {
        command     = var.health_check_command
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 60
      }
    },
  )
}

# --- task role: what the application itself may do ----------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "${local.full_name}-task"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "task" {
  count = var.task_policy_enabled ? 1 : 0

  name   = "application"
  role   = aws_iam_role.task.id
  policy = var.task_policy_json
}

# ECS Exec (staging only): the SSM channel, the session key and the session log.
data "aws_iam_policy_document" "exec" {
  statement {
    #checkov:skip=CKV_AWS_356:The SSM message channel actions and logs:DescribeLogGroups of ECS Exec support no resource-level scoping; this policy is attached only where enable_execute_command is true (never production).
    sid = "EcsExecChannels"
    actions = [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.exec_kms_key_arn == null ? [] : [var.exec_kms_key_arn]

    content {
      sid       = "DecryptExecSessions"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.exec_log_group_arn == null ? [] : [var.exec_log_group_arn]

    content {
      sid       = "WriteExecSessionLog"
      actions   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
      resources = ["${statement.value}:*"]
    }
  }
}

resource "aws_iam_role_policy" "exec" {
  count = var.enable_execute_command ? 1 : 0

  name   = "ecs-exec"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.exec.json
}

# --- task definition and service -------------------------------------------------

resource "aws_ecs_task_definition" "this" {
  family                   = local.full_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # Task-local scratch space (Fargate ephemeral storage) for the read-only image:
  # temporary files, export archives being assembled, the beat schedule.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([local.container])
}

resource "aws_ecs_service" "this" {
  count = var.run_as_service ? 1 : 0

  name             = var.name
  cluster          = var.cluster_id
  task_definition  = aws_ecs_task_definition.this.arn
  desired_count    = var.desired_count
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = var.deployment_maximum_percent
  enable_execute_command             = var.enable_execute_command
  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true
  health_check_grace_period_seconds  = local.behind_lb ? 60 : null

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = local.behind_lb ? [1] : []

    content {
      target_group_arn = var.target_group_arn
      container_name   = var.name
      container_port   = var.container_port
    }
  }

  lifecycle {
    # Autoscaling owns the live count of web and worker; an apply must not
    # shrink a busy service back to its initial count. Beat is created at 1 and
    # has no autoscaling, so nothing ever changes its count.
    ignore_changes = [desired_count]

    precondition {
      condition     = !local.behind_lb || var.container_port != null
      error_message = "A service behind the load balancer needs container_port."
    }
  }
}

# --- autoscaling ----------------------------------------------------------------

resource "aws_appautoscaling_target" "this" {
  count = var.run_as_service && var.autoscaling != null ? 1 : 0

  service_namespace  = "ecs"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this[0].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.autoscaling.min_capacity
  max_capacity       = var.autoscaling.max_capacity
}

resource "aws_appautoscaling_policy" "cpu" {
  count = var.run_as_service && var.autoscaling != null ? 1 : 0

  name               = "${local.full_name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  count = var.run_as_service && try(var.autoscaling.request_count_per_target, null) != null ? 1 : 0

  name               = "${local.full_name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.request_count_per_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = var.autoscaling.alb_resource_label
    }
  }
}
