package pack

import (
	"encoding/json"
	"testing"
)

func TestMinify(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already minified", `{"a":["b",1]}`, `{"a":["b",1]}`},
		{"spaces, tabs, CR and LF", "{ \"a\" :\t[ \"b\" ,\r\n 1 ] }\n", `{"a":["b",1]}`},
		{"whitespace inside strings kept", `{ "a b" : " c\td " }`, `{"a b":" c\td "}`},
		{"escaped quote does not end a string", `{ "a" : "x\" y" }`, `{"a":"x\" y"}`},
		{"escaped backslash ends before quote", `{ "a" : "x\\" , "b" : 1 }`, `{"a":"x\\","b":1}`},
		{"non-ASCII kept", "{ \"a\" : \"é €\" }", `{"a":"é €"}`},
		{"other Unicode space is not JSON whitespace", "{\"a\":\u00a01}", "{\"a\":\u00a01}"},
		{"invalid JSON unchanged", `{ "a" : tr ue }`, `{ "a" : tr ue }`},
		{"truncated JSON unchanged", `{ "a" : [ 1, `, `{ "a" : [ 1, `},
		{"empty", ``, ``},
		{"scalar", ` "x" `, `"x"`},
		{"GFT example", gftPolicy, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},{"Effect":"Allow","Action":"elasticloadbalancing:Describe*","Resource":"*"},{"Effect":"Allow","Action":["cloudwatch:ListMetrics","cloudwatch:GetMetricStatistics","cloudwatch:Describe*"],"Resource":"*"},{"Effect":"Allow","Action":"autoscaling:Describe*","Resource":"*"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Minify(tt.in)
			if got != tt.want {
				t.Errorf("Minify(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if json.Valid([]byte(tt.in)) && !json.Valid([]byte(got)) {
				t.Errorf("Minify made valid JSON invalid: %q", got)
			}
			if again := Minify(got); again != got {
				t.Errorf("Minify is not idempotent: %q then %q", got, again)
			}
		})
	}
	if n := len(Minify(gftPolicy)); n != 366 {
		t.Errorf("minified GFT example is %d characters, the data point says 366", n)
	}
}

func TestActionCount(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		want   int
	}{
		{"string action", `{"Statement":{"Action":"s3:*"}}`, 1},
		{"array of actions", `{"Statement":[{"Action":["a:b","c:d","e:f"]}]}`, 3},
		{"NotAction", `{"Statement":[{"NotAction":["a:b"],"Action":"c:d"}]}`, 2},
		{"other members not counted", `{"Statement":[{"Resource":["x","y"],"Sid":"Action","Effect":"Allow"}]}`, 0},
		{"member after Action not counted", `{"Statement":[{"Action":"a:b","Resource":"r"}]}`, 1},
		{"nested arrays not counted", `{"Action":[["a:b"]]}`, 0},
		{"whitespace", "{ \"Action\" :\n [ \"a:b\" , \"c:d\" ] }", 2},
		{"escaped quote in action", `{"Action":["a\"b","c"]}`, 2},
		{"invalid JSON still counted", `{"Action":["a:b","c:d"`, 2},
		{"deep nesting", `[[[[[[[[[[[[[[[[[[[[{"Action":"a"}]]]]]]]]]]]]]]]]]]]]`, 0},
		{"unbalanced closers", `]]]}}{"Action":"a"}`, 1},
		{"empty", ``, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := appendPolicy(nil, tt.policy); got != tt.want {
				t.Errorf("%d actions, want %d", got, tt.want)
			}
		})
	}
}

func TestAppendPolicy_KeepsPrefix(t *testing.T) {
	out, _ := appendPolicy([]byte("prefix "), `{ "a" : 1 }`)
	if string(out) != `prefix {"a":1}` {
		t.Errorf("got %q", out)
	}
}
