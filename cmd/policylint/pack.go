package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/policylint/policylint/internal/fsroot"
	"github.com/policylint/policylint/lint"
	"github.com/policylint/policylint/pack"
)

const packUsage = `Usage: policylint pack [flags] PATH...
       policylint pack --calibrate CLOUDTRAIL.json [--fit MODEL.json] [--model FILE]

Estimates the PackedPolicySize STS will report for each policy or request file: the percentage
of a hidden budget that the policy, the policy ARNs and the session tags take after STS packs
them, with a band, the STS message that would fire, and each part's share. The estimate comes
from an empirical model (see docs/packed-size.md); --calibrate measures it against your own
CloudTrail records, and --fit refits it to them.

Examples:
  policylint pack tenant-request.json
  policylint pack --tag team=data --inherited-tag eks-cluster-name=prod policy.json
  policylint pack --format json policies/
  policylint pack --calibrate cloudtrail.json --fit model.json
  policylint lint --model model.json requests/

Flags:
`

// packFlags are the request flags shared with lint.
type packFlags struct {
	fl                                        *pflag.FlagSet
	arns, tags, inherited, transitive         *[]string
	operation, roleARN, format, model, fitOut *string
	calibrate                                 *string
	duration                                  *int
	help                                      *bool
}

func runPack(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("pack", pflag.ContinueOnError)
	fl.SortFlags = false
	fl.SetOutput(io.Discard)
	f := packFlags{fl: fl}
	f.arns = fl.StringArray("policy-arn", nil, "a managed policy ARN passed as PolicyArns (repeatable)")
	f.tags = fl.StringArray("tag", nil, "a session tag KEY=VALUE (repeatable)")
	f.inherited = fl.StringArray("inherited-tag", nil, "a transitive tag KEY=VALUE inherited from the calling session (repeatable)")
	f.transitive = fl.StringArray("transitive-tag-key", nil, "a transitive session tag key (repeatable; does not change the size)")
	f.operation = fl.String("operation", "", "the STS operation (default: inferred, or assume-role)")
	f.roleARN = fl.String("role-arn", "", "RoleArn")
	f.duration = fl.Int("duration-seconds", 0, "DurationSeconds")
	f.format = fl.String("format", "text", "output format: text or json")
	f.model = fl.String("model", "", "a model file written by --fit (default: the built-in "+pack.ModelVersion+")")
	f.calibrate = fl.String("calibrate", "", "a CloudTrail export ({\"Records\": [...]}): report the model's error on it")
	f.fitOut = fl.String("fit", "", "with --calibrate: fit the model to the records and write it to this file")
	f.help = fl.BoolP("help", "h", false, "show this help")
	if err := fl.Parse(args); err != nil {
		fmt.Fprintf(stderr, "policylint: pack: %s\nRun 'policylint pack --help' for usage.\n", flagError(fl, err))
		return exitUsage
	}
	if *f.help {
		writeHelp(stdout, packUsage, fl)
		return exitOK
	}
	if *f.format != "text" && *f.format != "json" {
		fmt.Fprintf(stderr, "policylint: --format: unknown format %q: want text or json\n", *f.format)
		return exitUsage
	}
	fsys, err := openFS()
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	defer fsys.Close()
	model, err := loadModel(fsys, *f.model)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	if *f.calibrate != "" {
		return calibrate(fsys, *f.calibrate, *f.fitOut, model, *f.format, stdout, stderr)
	}
	if *f.fitOut != "" {
		fmt.Fprint(stderr, "policylint: --fit needs --calibrate CLOUDTRAIL.json\n")
		return exitUsage
	}
	if fl.NArg() == 0 {
		fmt.Fprint(stderr, "policylint: pack: no PATH given; use - to read standard input\nRun 'policylint pack --help' for usage.\n")
		return exitUsage
	}
	req := lint.Request{PolicyARNs: *f.arns, TransitiveTagKeys: *f.transitive, DurationSeconds: *f.duration, RoleARN: *f.roleARN}
	if *f.operation != "" {
		if req.Operation = lint.OperationByName(*f.operation); req.Operation == "" {
			fmt.Fprintf(stderr, "policylint: --operation %q: want %s\n", *f.operation, strings.Join(operationNames, ", "))
			return exitUsage
		}
	}
	if req.Tags, err = parseTags("--tag", *f.tags); err == nil {
		req.InheritedTags, err = parseTags("--inherited-tag", *f.inherited)
	}
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	linter, err := lint.New(lint.Config{Request: req, Model: model, ReadFile: func(path string) ([]byte, error) { return readConfined(fsys, path) }})
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}

	code := exitOK
	inputs, errs := expand(fsys, fl.Args())
	files := inputs.files
	var stdinData []byte
	var stdinErr error
	for _, file := range files {
		if file.path == "-" {
			stdinData, stdinErr = lint.ReadLimited(stdin)
		}
	}
	type estimate struct {
		path string
		lint.RequestEstimate
	}
	var out []estimate
	for _, in := range files {
		file := in.path
		src, err := readInput(fsys, file, stdinData, stdinErr)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		es, none := linter.Estimates(displayName(file), src)
		if none != "" {
			es = []lint.RequestEstimate{{None: none}}
		}
		for _, e := range es {
			if e.None != "" {
				e.Model = modelVersion(model)
			}
			out = append(out, estimate{displayName(file), e})
		}
	}
	for _, err := range errs {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		code = exitUsage
	}
	if *f.format == "json" {
		type part struct {
			Kind    string  `json:"kind"`
			Name    string  `json:"name"`
			Percent float64 `json:"percent"`
		}
		type cut struct {
			Parts   []part  `json:"parts"`
			Percent float64 `json:"percent"`
			Fits    bool    `json:"fits"`
		}
		type request struct {
			Path string `json:"path"`
			// At and Line say where the request is in a file of several (a workflow's
			// step, a Terraform block, a YAML document).
			At       string  `json:"at,omitempty"`
			Line     int     `json:"line,omitempty"`
			Reported bool    `json:"reported"`
			Percent  float64 `json:"percent"`
			Low      float64 `json:"low"`
			High     float64 `json:"high"`
			Model    string  `json:"model"`
			Message  string  `json:"message,omitempty"`
			// TooLong says that STS rejects the request before it packs it: over the
			// plaintext limit.
			TooLong string `json:"too_long,omitempty"`
			Parts   []part `json:"parts"`
			Cut     *cut   `json:"cut,omitempty"`
			// MinifiedPercent equals Percent since pack-model/2 (STS does not pack
			// whitespace); it stays for readers of layout version 1.
			MinifiedPercent float64 `json:"minified_percent"`
		}
		doc := struct {
			Version  int       `json:"version"`
			Requests []request `json:"requests"`
		}{Version: 1, Requests: []request{}}
		for _, o := range out {
			r := request{Path: o.path, At: o.At, Line: o.Line, Reported: o.None == "", Percent: o.Percent, Low: o.Low, High: o.High, Model: o.Model,
				Message: o.Message, TooLong: o.TooLong, Parts: []part{}, MinifiedPercent: o.Percent}
			for _, p := range o.Parts {
				r.Parts = append(r.Parts, part{p.Kind, p.Name, round1(p.Percent)})
			}
			if c := o.Cut; c != nil {
				r.Cut = &cut{Parts: []part{}, Percent: c.Percent, Fits: c.Fits}
				for _, p := range c.Parts {
					r.Cut.Parts = append(r.Cut.Parts, part{p.Kind, p.Name, round1(p.Percent)})
				}
			}
			doc.Requests = append(doc.Requests, r)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return exitInternal
		}
		return code
	}
	for i, o := range out {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		name := o.path
		if o.Line > 0 {
			name += fmt.Sprintf(":%d", o.Line) // the request's line in a file of several
		}
		writeBreakdown(stdout, name, o.RequestEstimate)
	}
	return code
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

func modelVersion(m *pack.Model) string {
	if m == nil {
		return pack.DefaultModel.Version
	}
	return m.Version
}

// writeBreakdown writes one estimate for a reader, or none, why STS reports no PackedPolicySize.
func writeBreakdown(w io.Writer, path string, e lint.RequestEstimate) {
	switch {
	case e.None != "":
		fmt.Fprintf(w, "%s: no packed size: %s\n", path, e.None)
		return
	case len(e.Parts) == 0:
		fmt.Fprintf(w, "%s: 0%% of the packed budget: GetFederationToken reports 0 without a policy, policy ARNs or tags\n", path)
		return
	}
	verdict := "STS accepts up to 100%"
	switch {
	case e.TooLong != "":
		verdict = "but " + e.TooLong
	case e.Message != "":
		verdict = fmt.Sprintf("STS would reject it: %q", e.Message)
	case e.High > 100:
		verdict = "the band reaches past 100%: it may be rejected"
	}
	fmt.Fprintf(w, "%s: about %g%% of the packed budget (band %g–%g%%, model %s); %s\n", path, e.Percent, e.Low, e.High, e.Model, verdict)
	names := make([]string, len(e.Parts))
	width := 0
	for i, p := range e.Parts {
		names[i] = p.Kind
		if p.Kind != pack.KindPolicy {
			names[i] = oneLineName(p.Kind + " " + p.Name)
		}
		width = max(width, utf8.RuneCountInString(names[i]))
	}
	for i, p := range e.Parts {
		fmt.Fprintf(w, "  %s%s  %6.1f%%\n", names[i], strings.Repeat(" ", width-utf8.RuneCountInString(names[i])), p.Percent)
	}
	if advice := lint.CutAdvice(e.Estimate); advice != "" {
		fmt.Fprintf(w, "  to fit: %s\n", advice)
	}
}

// oneLineName keeps a tag key with odd characters on one line.
func oneLineName(s string) string {
	return strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
}

// calibrate reports the model's error on a CloudTrail export, and with fitOut writes a refitted
// model.
func calibrate(fsys *fsroot.FS, file, fitOut string, model *pack.Model, format string, stdout, stderr io.Writer) int {
	if err := fsys.Allow(file); err != nil {
		fmt.Fprintf(stderr, "policylint: --calibrate: %v\n", pathError(file, err))
		return exitUsage
	}
	data, err := readInput(fsys, file, nil, nil)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: --calibrate: %v\n", err)
		return exitUsage
	}
	obs, skipped, err := pack.ParseCloudTrail(data)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: --calibrate: %s: %v\n", file, strings.TrimPrefix(err.Error(), "pack: "))
		return exitUsage
	}
	m := pack.DefaultModel
	if model != nil {
		m = *model
	}
	type report struct {
		Model   string  `json:"model"`
		Records int     `json:"records"`
		Skipped int     `json:"skipped"`
		Mean    float64 `json:"mean_error"`
		Max     float64 `json:"max_error"`
	}
	mean, worst := m.Evaluate(obs)
	reports := []report{{m.Version, len(obs), skipped, round1(mean), round1(worst)}}
	if fitOut != "" {
		if len(obs) == 0 {
			fmt.Fprintf(stderr, "policylint: --fit: %s has no usable record to fit to\n", file)
			return exitUsage
		}
		fitted := pack.Fit(obs, m)
		b, err := json.MarshalIndent(fitted, "", "  ")
		if err == nil {
			err = os.WriteFile(fitOut, append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "policylint: --fit: %v\n", pathError(fitOut, err))
			return exitUsage
		}
		fmean, fworst := fitted.Evaluate(obs)
		reports = append(reports, report{fitted.Version, len(obs), skipped, round1(fmean), round1(fworst)})
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Version     int      `json:"version"`
			Calibration []report `json:"calibration"`
		}{1, reports}); err != nil {
			return exitInternal
		}
		return exitOK
	}
	fmt.Fprintf(stdout, "%s: %d records with a packed size, %d skipped (other events, or no size or request)\n", file, len(obs), skipped)
	for _, r := range reports {
		fmt.Fprintf(stdout, "model %s: mean error %.1f points, max %.1f points\n", r.Model, r.Mean, r.Max)
	}
	if fitOut != "" {
		fmt.Fprintf(stdout, "wrote %s: use it with --model %s\n", fitOut, fitOut)
	}
	return exitOK
}
