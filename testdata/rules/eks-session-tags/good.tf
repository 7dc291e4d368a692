resource "aws_eks_pod_identity_association" "ledger" {
  cluster_name         = "prod-apps"
  namespace            = "ledger"
  service_account      = "ledger-api"
  role_arn             = "arn:aws:iam::123456789012:role/ledger-api"
  disable_session_tags = true

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:Query"]
      Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/ledger"
    }]
  })
}
