package lint

import (
	"encoding/json"
	"testing"
)

// TestAppendString checks the JSON strings given to custom rules: plain ASCII written as it is,
// everything else escaped, and each read back as the string (invalid UTF-8 as U+FFFD).
func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"s3:GetObject": "s3:GetObject", "": "", `a"b`: `a"b`, `a\b`: `a\b`, "<&>": "<&>",
		"tab\there": "tab\there", "\x00\x1f\x7f": "\x00\x1f\x7f", "Préfixe–x": "Préfixe–x",
		"bad\xffbyte": "bad\ufffdbyte", "${aws:username}": "${aws:username}",
	} {
		got := appendString(nil, in)
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != want {
			t.Errorf("appendString(%q) = %s, reads back as %q (%v), want %q", in, got, back, err, want)
		}
	}
	for _, plain := range []string{"s3:GetObject", "", "<&>", "${aws:username}", "arn:aws:s3:::tenant-a/*"} {
		if got := string(appendString(nil, plain)); got != `"`+plain+`"` {
			t.Errorf("appendString(%q) = %s: a plain string is written as it is", plain, got)
		}
	}
}
