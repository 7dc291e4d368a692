package lint

import (
	"fmt"
	"strings"
	"testing"
)

func TestCharset_Boundaries(t *testing.T) {
	tests := []struct {
		r      rune
		report bool
	}{
		{0x08, true}, {0x09, false}, {0x0A, false}, {0x0B, true}, {0x0D, false},
		{0x1F, true}, {0x20, false}, {0x7E, false}, {0x7F, false}, {0x80, false},
		{0xFF, false}, {0x100, true}, {0x2013, true}, {0xFFFD, true}, {0x1F600, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%U", tt.r), func(t *testing.T) {
			// The character goes in a Sid so that only its own rule and, for controls, the
			// JSON syntax rule react.
			src := fmt.Sprintf("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"x%cy\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}", tt.r)
			ds := findings(t, src, "policy-charset")
			if got := len(ds) > 0; got != tt.report {
				t.Fatalf("reported = %v, want %v", got, tt.report)
			}
			if tt.report {
				d := ds[0]
				if d.Range.Start.Column != 47 || d.Range.End.Column != 48 {
					t.Errorf("at %+v, want column 47 to 48", d.Range)
				}
				// A raw control character makes the JSON invalid, so only the others have a
				// pointer into the tree.
				if wantPtr := map[bool]string{true: "/Statement/0/Sid", false: ""}[tt.r >= 0x20]; d.Pointer != wantPtr {
					t.Errorf("pointer %q, want %q", d.Pointer, wantPtr)
				}
				if want := fmt.Sprintf("%U", tt.r); !strings.Contains(d.Message, want) {
					t.Errorf("message %q does not name %s", d.Message, want)
				}
			}
		})
	}
}

func TestCharset_Cap(t *testing.T) {
	src := `{"Sid":"`
	for range 25 {
		src += "Ā"
	}
	src += `"}`
	ds := findings(t, src, "policy-charset")
	if len(ds) != maxPerRule+1 {
		t.Fatalf("%d findings, want %d", len(ds), maxPerRule+1)
	}
	if last := ds[len(ds)-1]; !strings.Contains(last.Message, "5 more policy-charset findings") {
		t.Errorf("last finding %q does not count the rest", last.Message)
	}
}

func TestCharsetEscape(t *testing.T) {
	tests := []struct {
		escape string
		report bool
	}{
		{`\u0041`, false}, {`\u00e9`, false}, {`\u00ff`, false}, {`\u0009`, false},
		{`\u0100`, true}, {`\u0000`, true}, {`\u001f`, true}, {`\ud83d\ude00`, true}, {`\ud800`, true},
	}
	for _, tt := range tests {
		src := `{"Sid":"a` + tt.escape + `b"}`
		ds := findings(t, src, "policy-charset-escape")
		if got := len(ds) > 0; got != tt.report {
			t.Errorf("%s: reported = %v, want %v", tt.escape, got, tt.report)
			continue
		}
		if tt.report && (ds[0].Range.Start.Column != 10 || ds[0].Range.End.Column != 10+len(tt.escape)) {
			t.Errorf("%s: range %+v", tt.escape, ds[0].Range)
		}
		if n := len(findings(t, src, "policy-charset")); n > 0 {
			t.Errorf("%s: policy-charset reported an escape", tt.escape)
		}
	}
}

func TestInvalidEncoding(t *testing.T) {
	ds := findings(t, "\xEF\xBB\xBF{\"Sid\":\"caf\xe9\xff\"}", "invalid-encoding")
	if len(ds) != 3 {
		t.Fatalf("findings %v, want BOM and two bytes", ds)
	}
	if ds[0].Range.Start.Offset != 0 || ds[1].Range.Start.Offset != 14 || ds[2].Range.Start.Offset != 15 {
		t.Errorf("offsets %d %d %d", ds[0].Range.Start.Offset, ds[1].Range.Start.Offset, ds[2].Range.Start.Offset)
	}
	if n := len(findings(t, "\xEF\xBB\xBF{\"Sid\":\"caf\xe9\"}", "policy-charset")); n != 0 {
		t.Errorf("policy-charset repeats invalid-encoding findings (%d)", n)
	}
}
