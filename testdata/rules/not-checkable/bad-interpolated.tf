provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn     = "arn:aws:iam::210987654321:role/platform-deployer"
    session_name = "terraform"
    policy       = <<-EOT
      {
        "Version": "2012-10-17",
        "Statement": [
          {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::${var.state_bucket}/*"}
        ]
      }
    EOT
  }
}
