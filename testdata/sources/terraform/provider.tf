provider "aws" {
  region = "us-east-1"

  assume_role {
    role_arn     = "arn:aws:iam::444455556666:role/network-admin"
    session_name = "terraform network"
    duration     = "1h"
    tags = {
      Project = "network"
      project = "network-core"
    }
    transitive_tag_keys = ["Project"]
    policy              = <<-EOT
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Action": ["ec2:*Vpc*", "ec2:*Subnet*"],
            "Resource": "*",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"}
          }
        ]
      }
    EOT
  }
}
