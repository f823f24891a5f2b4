locals {
  environment = "staging"
  name        = "sukowati-${local.environment}"
}

module "kms" {
  source = "../../modules/kms"

  name = local.name
}

module "network" {
  source = "../../modules/network"

  name                    = local.name
  cidr_block              = var.vpc_cidr
  single_nat_gateway      = var.single_nat_gateway
  flow_log_retention_days = var.log_retention_days
  logs_kms_key_arn        = module.kms.logs_key_arn
}

module "secrets" {
  source = "../../modules/secrets"

  name                    = local.name
  kms_key_arn             = module.kms.data_key_arn
  recovery_window_in_days = 7
  database_host           = module.database.address
  database_port           = module.database.port
  database_name           = module.database.database_name
  database_username       = module.database.username
  redis_host              = module.cache.primary_endpoint
  redis_port              = module.cache.port
}

module "database" {
  source = "../../modules/database"

  name                                = local.name
  vpc_id                              = module.network.vpc_id
  subnet_ids                          = module.network.data_subnet_ids
  instance_class                      = var.db_instance_class
  allocated_storage                   = var.db_allocated_storage
  max_allocated_storage               = var.db_max_allocated_storage
  multi_az                            = var.db_multi_az
  backup_retention_days               = var.db_backup_retention_days
  deletion_protection                 = var.db_deletion_protection
  skip_final_snapshot                 = true
  performance_insights_retention_days = var.db_performance_insights_retention_days
  monitoring_interval                 = 60
  kms_key_arn                         = module.kms.data_key_arn
  logs_kms_key_arn                    = module.kms.logs_key_arn
  log_retention_days                  = var.log_retention_days
  password                            = module.secrets.database_password
  allowed_security_group_ids          = [module.app.task_security_group_id]
}

module "cache" {
  source = "../../modules/cache"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  node_type                  = var.redis_node_type
  replicas                   = var.redis_replicas
  automatic_failover         = var.redis_automatic_failover
  snapshot_retention_days    = 1
  auth_token                 = module.secrets.redis_auth_token
  kms_key_arn                = module.kms.data_key_arn
  logs_kms_key_arn           = module.kms.logs_key_arn
  log_retention_days         = var.log_retention_days
  allowed_security_group_ids = [module.app.task_security_group_id]
}

module "storage" {
  source = "../../modules/storage"

  name                             = local.name
  kms_key_arn                      = module.kms.storage_key_arn
  force_destroy                    = true
  files_noncurrent_expiration_days = var.files_noncurrent_expiration_days
  exports_expiration_days          = var.exports_expiration_days
  exports_object_lock_days         = var.exports_object_lock_days
  logs_expiration_days             = var.log_retention_days
}

module "dns_cert" {
  source = "../../modules/dns_cert"

  root_domain  = var.root_domain
  zone_id      = var.hosted_zone_id
  alb_dns_name = module.alb.dns_name
  alb_zone_id  = module.alb.zone_id
}

module "alb" {
  source = "../../modules/alb"

  name                  = local.name
  vpc_id                = module.network.vpc_id
  public_subnet_ids     = module.network.public_subnet_ids
  certificate_arn       = module.dns_cert.certificate_arn
  app_security_group_id = module.app.task_security_group_id
  logs_bucket           = module.storage.logs_bucket
  deletion_protection   = var.alb_deletion_protection
  logs_kms_key_arn      = module.kms.logs_key_arn
  log_retention_days    = var.log_retention_days
}

module "app" {
  source = "../../modules/app"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.app_subnet_ids
  image_tag                  = var.image_tag
  migrate_image_tag          = var.migrate_image_tag
  root_domain                = var.root_domain
  web                        = var.web
  worker                     = var.worker
  beat                       = var.beat
  extra_environment          = var.extra_environment
  secret_arns                = module.secrets.secret_arns
  data_kms_key_arn           = module.kms.data_key_arn
  storage_kms_key_arn        = module.kms.storage_key_arn
  logs_kms_key_arn           = module.kms.logs_key_arn
  log_retention_days         = var.log_retention_days
  files_bucket               = module.storage.files_bucket
  files_bucket_arn           = module.storage.files_bucket_arn
  exports_bucket             = module.storage.exports_bucket
  exports_bucket_arn         = module.storage.exports_bucket_arn
  alb_security_group_id      = module.alb.security_group_id
  target_group_arn           = module.alb.target_group_arn
  alb_resource_label         = "${module.alb.arn_suffix}/${module.alb.target_group_arn_suffix}"
  database_security_group_id = module.database.security_group_id
  cache_security_group_id    = module.cache.security_group_id
  s3_prefix_list_id          = module.network.s3_prefix_list_id
  enable_execute_command     = var.enable_execute_command
}

module "monitoring" {
  source = "../../modules/monitoring"

  name                     = local.name
  kms_key_arn              = module.kms.logs_key_arn
  alarm_emails             = var.alarm_emails
  alb_arn_suffix           = module.alb.arn_suffix
  target_group_arn_suffix  = module.alb.target_group_arn_suffix
  db_identifier            = module.database.identifier
  db_connections_threshold = var.db_connections_alarm
  redis_node_ids           = module.cache.node_ids
  cluster_name             = module.app.cluster_name
  service_names            = module.app.service_names
}
