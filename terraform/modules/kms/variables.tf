variable "name" {
  description = "Name prefix for the key aliases, e.g. \"myna-bff-prod\" gives alias/myna-bff-prod-logs."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion takes effect (7-30). Long, because losing a key loses the data it encrypts."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every key."
  type        = map(string)
  default     = {}
}
