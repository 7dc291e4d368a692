package rules

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/policylint/policylint/internal/ruleproto"
)

// Serve is the rule worker: it reads requests from r and writes replies to w until r ends. The
// first request must be a Load. It never reads a file or the environment; the process it runs
// in is the sandbox (internal/sandbox starts it with limits and stops it when it runs away).
func Serve(r io.Reader, w io.Writer) error {
	in := bufio.NewReaderSize(r, 64<<10)
	out := bufio.NewWriterSize(w, 64<<10)
	var c *compiled
	var e *evaluator
	for {
		var req ruleproto.Request
		if err := ruleproto.ReadRequest(in, &req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		var reply ruleproto.Reply
		switch {
		case req.Load != nil:
			c = load(req.Load)
			if len(c.loaded.Errors) == 0 {
				var err error
				if e, err = newEvaluator(c, req.Load.CPU); err != nil {
					c.loaded = ruleproto.Loaded{Errors: problems(err, "")}
				}
			}
			c.loaded.Protocol = ruleproto.Version
			reply.Loaded = &c.loaded
		case c == nil:
			reply.Fatal = "the first request must load the rules"
		case len(c.loaded.Errors) > 0:
			reply.Fatal = "the rules did not load"
		case req.Eval != nil:
			reply.Evaluated = e.eval(req.Eval)
		case req.Test != nil:
			reply.Tested = runTests(c, req.Test)
		default:
			reply.Fatal = fmt.Sprintf("unknown request %+v", req)
		}
		if err := ruleproto.WriteReply(out, &reply); err != nil {
			return err
		}
	}
}
