resource "aws_eks_pod_identity_association" "billing" {
  cluster_name         = "prod"
  namespace            = "billing"
  service_account      = "invoice-renderer"
  role_arn             = "arn:aws:iam::123456789012:role/invoice-renderer"
  disable_session_tags = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadTemplates"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3 PutObject"]
        Resource = "arn:aws:s3:::invoice-templates/*"
      },
      {
        Effect   = "Allow"
        Action   = "kms:Decrypt"
        Resource = "arn:aws:kms:us-east-1:123456789012:key/invoices"
        Condition = {
          StringEquals = { "kms:ViaService" = "s3.us-east-1.amazonaws.com" }
        }
      },
    ]
  })
}

resource "aws_eks_pod_identity_association" "keys" {
  cluster_name         = "prod"
  namespace            = "billing"
  service_account      = "key-reader"
  role_arn             = aws_iam_role.key_reader.arn
  disable_session_tags = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.invoices.arn }]
  })
}

resource "aws_eks_pod_identity_association" "exporter" {
  cluster_name    = "prod"
  namespace       = "billing"
  service_account = "exporter"
  role_arn        = "arn:aws:iam::123456789012:role/exporter"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::billing-exports/*" }]
  })
}

resource "vault_aws_secret_backend_role" "ci" {
  backend         = "aws"
  name            = "ci-deployer"
  credential_type = "federation_token"
  default_sts_ttl = 172800
  policy_document = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::ci-artifacts/*"}]
}
EOT
}
