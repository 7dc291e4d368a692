package ruleproto

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestFraming_RoundTrip: an Eval's documents travel as raw bytes, newlines and all, between
// lines of JSON; what is read is what was written, and the end of the stream is io.EOF.
func TestFraming_RoundTrip(t *testing.T) {
	policy := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n"
	long := strings.Repeat("x", 200_000) // longer than any bufio buffer: the line comes in pieces
	var buf bytes.Buffer
	w := bufio.NewWriterSize(&buf, 16)
	reqs := []Request{
		{Load: &Load{Rules: []File{{Name: "a.rego", Source: long}}}},
		{Eval: &Eval{Policy: json.RawMessage(policy), Context: json.RawMessage(`{"path":"p"}`), Path: "p.json"}},
		{Eval: &Eval{Policy: json.RawMessage(`{}`), Path: "empty-context.json"}},
		{Test: &Test{Run: "x"}},
	}
	for i := range reqs {
		if err := WriteRequest(w, &reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if reqs[1].Eval.PolicyBytes != 0 || reqs[2].Eval.ContextBytes != 0 {
		t.Error("WriteRequest wrote into the caller's Eval, which another call may be using")
	}
	r := bufio.NewReaderSize(&buf, 16)
	for i, want := range reqs {
		var got Request
		if err := ReadRequest(r, &got); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		switch {
		case want.Load != nil:
			if got.Load == nil || got.Load.Rules[0].Source != long {
				t.Errorf("request %d: the Load did not come back whole", i)
			}
		case want.Eval != nil:
			wantContext := string(want.Eval.Context)
			if wantContext == "" {
				wantContext = "null" // a document not given travels as JSON's null
			}
			if got.Eval == nil || string(got.Eval.Policy) != string(want.Eval.Policy) || string(got.Eval.Context) != wantContext || got.Eval.Path != want.Eval.Path {
				t.Errorf("request %d: got %+v, want %+v", i, got.Eval, want.Eval)
			}
		case want.Test != nil:
			if got.Test == nil || got.Test.Run != "x" {
				t.Errorf("request %d: got %+v", i, got)
			}
		}
	}
	var end Request
	if err := ReadRequest(r, &end); err != io.EOF {
		t.Errorf("after the last request: %v, want io.EOF", err)
	}
}

// TestFraming_Broken: a message cut short, lengths that cannot be, and a line over the limit are
// errors, never a hang, a panic or a huge allocation.
func TestFraming_Broken(t *testing.T) {
	var whole bytes.Buffer
	w := bufio.NewWriter(&whole)
	if err := WriteRequest(w, &Request{Eval: &Eval{Policy: json.RawMessage(`{"Version":"2012-10-17"}`), Context: json.RawMessage(`{}`)}}); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"cut in the documents": whole.String()[:whole.Len()-5],
		"cut in the line":      whole.String()[:10],
		"negative length":      `{"eval":{"policy_bytes":-1,"context_bytes":0}}` + "\n",
		"lengths past the cap": `{"eval":{"policy_bytes":268435455,"context_bytes":268435455}}` + "\n",
		"not JSON":             "eval\n",
	} {
		var req Request
		err := ReadRequest(bufio.NewReader(strings.NewReader(in)), &req)
		if err == nil || err == io.EOF {
			t.Errorf("%s: %v, want an error", name, err)
		}
		if strings.HasPrefix(name, "cut") && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: %v, want io.ErrUnexpectedEOF", name, err)
		}
	}
	var reply Reply
	if err := readLine(bufio.NewReaderSize(strings.NewReader(`{"fatal":"`+strings.Repeat("y", 100)+`"}`+"\n"), 16), &reply, 64); err == nil || !strings.Contains(err.Error(), "over 64 bytes") {
		t.Errorf("a reply over the limit: %v", err)
	}
}
