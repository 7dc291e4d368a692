# A character outside what STS accepts, in a policy written with jsonencode and in a heredoc: the
# advice says which escape each can hold.
provider "aws" {
  alias = "reports"
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/reports"
    session_name = "reports"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "arn:aws:s3:::reports/2026–q3/*"
      }]
    })
  }
}

provider "aws" {
  alias = "archive"
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/archive"
    session_name = "archive"
    policy       = <<-EOT
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::archive/2026–q3/*"}]}
    EOT
  }
}
