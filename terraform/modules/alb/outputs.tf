output "arn" {
  description = "Load balancer ARN."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "Load balancer ARN suffix, for CloudWatch dimensions."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "Load balancer DNS name, target of the Route 53 aliases."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Load balancer hosted zone id, for Route 53 aliases."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "The load balancer's security group."
  value       = aws_security_group.this.id
}

output "target_group_arn" {
  description = "Target group of the web service (available once a listener forwards to it, which ECS requires)."
  value       = aws_lb_target_group.web.arn

  depends_on = [aws_lb_listener.https]
}

output "target_group_arn_suffix" {
  description = "Target group ARN suffix, for CloudWatch dimensions and request-count scaling."
  value       = aws_lb_target_group.web.arn_suffix
}

output "https_listener_arn" {
  description = "HTTPS listener; the web service depends on it so the target group is attached first."
  value       = aws_lb_listener.https.arn
}
