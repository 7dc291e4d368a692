data "aws_iam_policy_document" "uploads" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.uploads.arn}/*"]
  }
}

resource "aws_eks_pod_identity_association" "uploader" {
  cluster_name         = var.cluster_name
  namespace            = "media"
  service_account      = "uploader"
  role_arn             = aws_iam_role.uploader.arn
  disable_session_tags = true
  policy               = data.aws_iam_policy_document.uploads.json
}
