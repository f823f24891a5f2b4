output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies (subscribe chat or paging integrations here)."
  value       = aws_sns_topic.alarms.arn
}
