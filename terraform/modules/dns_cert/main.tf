# One wildcard certificate for the root domain and every regency subdomain, and
# the DNS records pointing both at the load balancer. A new regency therefore
# needs no DNS or certificate change: provisioning only adds its Domain row.
# The certificate is in ap-southeast-3 with the ALB (no CloudFront, so no
# copy in CloudFront's region is needed).

resource "aws_acm_certificate" "this" {
  #checkov:skip=CKV2_AWS_71:The wildcard is the design: regencies are provisioned at run time as <slug>.<root>, and a per-regency certificate would need a Terraform run per regency. It covers one label only (not deeper names), and the private key never leaves ACM.
  domain_name               = var.root_domain
  subject_alternative_names = ["*.${var.root_domain}"]
  validation_method         = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }
}

# The root and the wildcard share one validation record; allow_overwrite makes
# the duplicate a no-op instead of a conflict.
resource "aws_route53_record" "validation" {
  for_each = {
    for option in aws_acm_certificate.this.domain_validation_options : option.domain_name => {
      name   = option.resource_record_name
      type   = option.resource_record_type
      record = option.resource_record_value
    }
  }

  zone_id         = var.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.record]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for record in aws_route53_record.validation : record.fqdn]
}

resource "aws_route53_record" "root" {
  zone_id = var.zone_id
  name    = var.root_domain
  type    = "A"

  alias {
    name                   = var.alb_dns_name
    zone_id                = var.alb_zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "wildcard" {
  zone_id = var.zone_id
  name    = "*.${var.root_domain}"
  type    = "A"

  alias {
    name                   = var.alb_dns_name
    zone_id                = var.alb_zone_id
    evaluate_target_health = true
  }
}
