provider "aws" {
  region = "us-east-1"
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/terraform"
    session_name = "ci"
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "example-logs"
}
