package terraform

import (
	"strings"
	"testing"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/source"
)

// TestReadPlan_CapsDocuments: a plan of more provider assume_role blocks than source.MaxDocs
// yields MaxDocs requests and counts the rest as unread, as every other path of the readers.
func TestReadPlan_CapsDocuments(t *testing.T) {
	block := `{"role_arn":{"constant_value":"arn:aws:iam::123456789012:role/terraform"},"session_name":{"constant_value":"ci"}}`
	n := source.MaxDocs + 50
	src := `{"format_version":"1.2","configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"assume_role":[` +
		strings.TrimSuffix(strings.Repeat(block+",", n), ",") + `]}}}}}`
	doc, err := jsonpos.Parse([]byte(src), jsonpos.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := ReadPlan(doc)
	if len(f.Docs) != source.MaxDocs || f.Unread != 50 {
		t.Errorf("%d blocks: %d documents, %d unread; want %d and 50", n, len(f.Docs), f.Unread, source.MaxDocs)
	}
}
