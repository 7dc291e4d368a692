resource "aws_eks_pod_identity_association" "uploader" {
  cluster_name         = var.cluster_name
  namespace            = "media"
  service_account      = "uploader"
  role_arn             = aws_iam_role.uploader.arn
  disable_session_tags = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = "arn:aws:s3:::media-uploads/*"
    }]
  })
}
