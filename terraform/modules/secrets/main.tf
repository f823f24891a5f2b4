# Secrets Manager holds every secret the containers need; ECS injects them as
# environment variables at task start (the task definition only names the ARN).
#
# Generated here: the database password, the Redis AUTH token, DJANGO_SECRET_KEY,
# and the two URLs built from them (DATABASE_URL, REDIS_URL).
# Set by an operator after the first apply (placeholders until then, and
# Terraform never overwrites them): STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET,
# EMAIL_URL. See docs/decisions/aws.md and docs/operations.md for rotation.
#
# The generated values are also in the Terraform state, which is why the state
# bucket is KMS-encrypted and access to it is restricted to the deploy role.

resource "random_password" "database" {
  length  = 40
  special = false # it goes into a URL; 40 alphanumerics are ~238 bits
}

resource "random_password" "redis_auth_token" {
  # ElastiCache AUTH: 16-128 printable characters, no @, " or /.
  length  = 64
  special = false
}

resource "random_password" "django_secret_key" {
  length           = 64
  special          = true
  override_special = "!#%&*()-_=+[]{}<>:?"
}

locals {
  # rediss:// is TLS (ElastiCache in-transit encryption). ssl_cert_reqs=required
  # makes redis-py and Celery verify ElastiCache's certificate (Amazon-issued,
  # trusted by the system CA bundle); Celery refuses a rediss:// URL without it.
  redis_url    = "rediss://:${random_password.redis_auth_token.result}@${var.redis_host}:${var.redis_port}/0?ssl_cert_reqs=required"
  database_url = "postgresql://${var.database_username}:${random_password.database.result}@${var.database_host}:${var.database_port}/${var.database_name}?sslmode=require"

  generated = {
    DJANGO_SECRET_KEY = random_password.django_secret_key.result
    DATABASE_URL      = local.database_url
    REDIS_URL         = local.redis_url
  }

  operator_managed = {
    STRIPE_SECRET_KEY     = "Stripe secret key (sk_live_...) for billing"
    STRIPE_WEBHOOK_SECRET = "Stripe webhook signing secret (whsec_...)"
    EMAIL_URL             = "SMTP URL for outgoing mail: smtp+tls with the SES SMTP user and password, host email-smtp.ap-southeast-3.amazonaws.com, port 587"
  }

  descriptions = merge(
    {
      DJANGO_SECRET_KEY = "Django SECRET_KEY (signing of sessions and tokens)"
      DATABASE_URL      = "PostgreSQL URL of the RDS instance, with password, sslmode=require"
      REDIS_URL         = "Redis URL of the ElastiCache group, TLS with AUTH token"
    },
    local.operator_managed,
  )
}

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:No Lambda rotation: DATABASE_URL/REDIS_URL embed credentials that must change on the server and in the URL together, and ECS reads secrets only at task start. Rotation is a runbook step (docs/operations.md, rotating secrets): change the credential, put the new secret value, force a new deployment.
  for_each = local.descriptions

  name                    = "${var.name}/${each.key}"
  description             = each.value
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "generated" {
  for_each = local.generated

  secret_id     = aws_secretsmanager_secret.this[each.key].id
  secret_string = each.value
}

resource "aws_secretsmanager_secret_version" "operator_managed" {
  for_each = local.operator_managed

  secret_id = aws_secretsmanager_secret.this[each.key].id
  # A placeholder so the ARN resolves at task start; the operator puts the real
  # value with `aws secretsmanager put-secret-value` and Terraform leaves it alone.
  secret_string = "SET-ME"

  lifecycle {
    ignore_changes = [secret_string]
  }
}
