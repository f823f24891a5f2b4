output "certificate_arn" {
  description = "ARN of the validated certificate (waits for DNS validation)."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "domains" {
  description = "Names the certificate covers."
  value       = distinct(concat([aws_acm_certificate.this.domain_name], tolist(aws_acm_certificate.this.subject_alternative_names)))
}
