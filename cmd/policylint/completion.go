package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/policylint/policylint/lint"
	"github.com/policylint/policylint/report"
)

const completionUsage = `Usage: policylint completion bash|zsh|fish

Prints a script that completes policylint's commands, flags, flag values (formats, severities,
operations, rule names) and file names in that shell. Load it once per session, or install it:

  bash:  source <(policylint completion bash)
         policylint completion bash > /etc/bash_completion.d/policylint
  zsh:   policylint completion zsh > "${fpath[1]}/_policylint"   (then restart zsh)
  fish:  policylint completion fish > ~/.config/fish/completions/policylint.fish
`

// compFlag is a flag as completion sees it.
type compFlag struct {
	long, short, usage string
	value              bool     // takes a value
	repeat             bool     // may be given more than once
	values             []string // the values it takes, when they are a fixed set
	files, dirs        bool     // it takes a file or a folder
}

// compCommand is a subcommand as completion sees it.
type compCommand struct {
	name, desc string
	flags      []compFlag
	subs       []string // words after the command (rules: explain, test)
	files      bool     // its arguments are files and folders
}

// flagCollector receives the flags of the commands it asks for help.
type flagCollector struct{ sets map[string]*pflag.FlagSet }

func (c *flagCollector) Write(p []byte) (int, error) { return len(p), nil }
func (c *flagCollector) helpFlags(name string, fl *pflag.FlagSet) {
	c.sets[name] = fl
}

// completionSpec asks each command for its flags as its --help does, so that completion knows
// every flag without a second list of them.
func completionSpec() []compCommand {
	c := &flagCollector{sets: map[string]*pflag.FlagSet{}}
	runLint([]string{"--help"}, strings.NewReader(""), c, io.Discard)
	runPack([]string{"--help"}, strings.NewReader(""), c, io.Discard)
	var slugs []string
	for _, r := range lint.Rules {
		slugs = append(slugs, r.Slug)
	}
	values := map[string][]string{
		"lint/format": report.Formats, "pack/format": {"text", "json"},
		"fail-on": {"error", "warning", "info"}, "operation": operationNames, "disable": slugs,
	}
	files := []string{"config", "model", "calibrate", "fit", "output", "catalog"}
	var spec []compCommand
	for _, cmd := range commands {
		cc := compCommand{name: cmd.name, desc: cmd.desc}
		switch cmd.name {
		case "lint", "pack":
			cc.files = true
		case "rules":
			cc.subs = []string{"explain", "test"}
		case "catalog":
			cc.subs = []string{"update", "show"}
		case "completion":
			cc.subs = []string{"bash", "zsh", "fish"}
		}
		if fl := c.sets[cmd.name]; fl != nil {
			fl.VisitAll(func(f *pflag.Flag) {
				typ := f.Value.Type()
				cf := compFlag{long: f.Name, short: f.Shorthand, usage: shortUsage(f.Usage), value: typ != "bool",
					repeat: strings.HasSuffix(typ, "Array") || strings.HasSuffix(typ, "Slice")}
				if v, ok := values[cmd.name+"/"+f.Name]; ok {
					cf.values = v
				} else if v, ok := values[f.Name]; ok {
					cf.values = v
				}
				cf.files = slices.Contains(files, f.Name)
				cf.dirs = f.Name == "rules"
				cc.flags = append(cc.flags, cf)
			})
		}
		spec = append(spec, cc)
	}
	return spec
}

// shortUsage is the first clause of a flag's usage: up to a ";" or " (default".
func shortUsage(s string) string {
	for _, sep := range []string{";", " (default"} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimSpace(s)
}

func runCompletion(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(stdout, completionUsage)
		return exitOK
	}
	if len(args) != 1 {
		fmt.Fprintf(stderr, "policylint: completion: want one shell: bash, zsh or fish\n\n%s", completionUsage)
		return exitUsage
	}
	spec := completionSpec()
	switch args[0] {
	case "bash":
		writeBash(stdout, spec)
	case "zsh":
		writeZsh(stdout, spec)
	case "fish":
		writeFish(stdout, spec)
	default:
		hint := ""
		if s := lint.Suggest(args[0], []string{"bash", "zsh", "fish"}); s != "" {
			hint = fmt.Sprintf(": did you mean %q?", s)
		}
		fmt.Fprintf(stderr, "policylint: completion: unknown shell %q%s: want bash, zsh or fish\n", args[0], hint)
		return exitUsage
	}
	return exitOK
}

// ruleSlugs are the names `rules explain` completes.
func ruleSlugs() string {
	var s []string
	for _, r := range lint.Rules {
		s = append(s, r.Slug)
	}
	return strings.Join(s, " ")
}

func writeBash(w io.Writer, spec []compCommand) {
	var b strings.Builder
	b.WriteString("# bash completion for policylint, written by `policylint completion bash`.\n")
	b.WriteString("# It runs in bash 3.2 (macOS) too: no mapfile, and compopt (bash 4) fails quietly there.\n")
	b.WriteString("_policylint_reply() {\n  COMPREPLY=()\n  local line\n  while IFS= read -r line; do COMPREPLY+=(\"$line\"); done\n}\n")
	b.WriteString("_policylint() {\n")
	b.WriteString("  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]}\n")
	b.WriteString("  COMPREPLY=()\n")
	b.WriteString("  if [[ $cur == --*=* ]]; then prev=${cur%%=*} cur=${cur#*=}; fi\n")
	fmt.Fprintf(&b, "  if (( COMP_CWORD == 1 )); then\n    _policylint_reply < <(compgen -W %q -- \"$cur\")\n    return\n  fi\n",
		strings.Join(append(commandNames(), "--version", "--help"), " "))
	b.WriteString("  case $cmd in\n")
	for _, c := range spec {
		fmt.Fprintf(&b, "  %s)\n", c.name)
		if len(c.flags) > 0 {
			b.WriteString("    case $prev in\n")
			for _, f := range c.flags {
				if !f.value {
					continue
				}
				fmt.Fprintf(&b, "    --%s)\n", f.long)
				switch {
				case f.values != nil:
					fmt.Fprintf(&b, "      _policylint_reply < <(compgen -W %q -- \"$cur\")\n", strings.Join(f.values, " "))
				case f.files || f.dirs:
					b.WriteString("      compopt -o filenames 2>/dev/null\n      _policylint_reply < <(compgen -f -- \"$cur\")\n")
				}
				b.WriteString("      return ;;\n")
			}
			b.WriteString("    esac\n")
			var names []string
			for _, f := range c.flags {
				names = append(names, "--"+f.long)
				if f.short != "" {
					names = append(names, "-"+f.short)
				}
			}
			fmt.Fprintf(&b, "    if [[ $cur == -* ]]; then\n      _policylint_reply < <(compgen -W %q -- \"$cur\")\n      return\n    fi\n", strings.Join(names, " "))
		}
		switch {
		case c.name == "rules":
			fmt.Fprintf(&b, "    if (( COMP_CWORD == 2 )); then\n      _policylint_reply < <(compgen -W %q -- \"$cur\")\n", strings.Join(c.subs, " "))
			fmt.Fprintf(&b, "    elif [[ ${COMP_WORDS[2]} == explain ]] && (( COMP_CWORD == 3 )); then\n      _policylint_reply < <(compgen -W %q -- \"$cur\")\n", ruleSlugs())
			b.WriteString("    elif [[ ${COMP_WORDS[2]} == explain ]]; then\n      _policylint_reply < <(compgen -W \"--markdown\" -- \"$cur\")\n")
			b.WriteString("    elif [[ ${COMP_WORDS[2]} == test ]]; then\n      compopt -o filenames 2>/dev/null\n      _policylint_reply < <(compgen -d -- \"$cur\")\n    fi\n")
		case c.subs != nil:
			fmt.Fprintf(&b, "    if (( COMP_CWORD == 2 )); then\n      _policylint_reply < <(compgen -W %q -- \"$cur\")\n    fi\n", strings.Join(c.subs, " "))
		case c.files:
			b.WriteString("    compopt -o filenames 2>/dev/null\n    _policylint_reply < <(compgen -f -- \"$cur\")\n")
		}
		b.WriteString("    ;;\n")
	}
	b.WriteString("  esac\n}\ncomplete -F _policylint policylint\n")
	io.WriteString(w, b.String())
}

// zshQuote escapes s for a zsh _arguments spec or description inside single quotes.
func zshQuote(s string) string {
	return strings.NewReplacer("'", `'\''`, "[", `\[`, "]", `\]`, ":", `\:`).Replace(s)
}

func writeZsh(w io.Writer, spec []compCommand) {
	var b strings.Builder
	b.WriteString("#compdef policylint\n# zsh completion for policylint, written by `policylint completion zsh`.\n\n")
	b.WriteString("_policylint() {\n  local -a commands\n  commands=(\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "    '%s:%s'\n", c.name, zshQuote(c.desc))
	}
	b.WriteString("  )\n  if (( CURRENT == 2 )); then\n    _describe -t commands 'policylint command' commands\n    _arguments '--version[print the version]' '--help[print the usage]'\n    return\n  fi\n")
	b.WriteString("  local cmd=$words[2]\n  shift words\n  (( CURRENT-- ))\n  case $cmd in\n")
	for _, c := range spec {
		fmt.Fprintf(&b, "  %s)\n", c.name)
		switch {
		case c.name == "rules":
			fmt.Fprintf(&b, "    if (( CURRENT == 2 )); then\n      compadd %s\n", strings.Join(c.subs, " "))
			fmt.Fprintf(&b, "    elif [[ $words[2] == explain ]] && (( CURRENT == 3 )); then\n      compadd %s\n", ruleSlugs())
			b.WriteString("    elif [[ $words[2] == explain ]]; then\n      compadd -- --markdown\n")
			b.WriteString("    elif [[ $words[2] == test ]]; then\n      _files -/\n    fi\n")
		case c.subs != nil:
			fmt.Fprintf(&b, "    (( CURRENT == 2 )) && compadd %s\n", strings.Join(c.subs, " "))
		default:
			b.WriteString("    _arguments -s \\\n")
			for _, f := range c.flags {
				repeat := ""
				if f.repeat {
					repeat = "*"
				}
				names := "'" + repeat + "--" + f.long
				if f.short != "" {
					names = "'(-" + f.short + " --" + f.long + ")'{-" + f.short + ",--" + f.long + "}'"
				}
				action := ""
				if f.value {
					action = ":" + zshQuote(f.long) + ":"
					switch {
					case f.values != nil:
						action += "(" + strings.Join(f.values, " ") + ")"
					case f.files || f.dirs:
						action += "_files"
					}
				}
				eq := ""
				if f.value {
					eq = "="
				}
				fmt.Fprintf(&b, "      %s%s[%s]%s' \\\n", names, eq, zshQuote(f.usage), action)
			}
			b.WriteString("      '*:file:_files'\n")
		}
		b.WriteString("    ;;\n")
	}
	b.WriteString("  esac\n}\n\nif [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n  _policylint \"$@\"\nelse\n  compdef _policylint policylint\nfi\n")
	io.WriteString(w, b.String())
}

// fishQuote quotes s for fish in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func writeFish(w io.Writer, spec []compCommand) {
	var b strings.Builder
	b.WriteString("# fish completion for policylint, written by `policylint completion fish`.\n")
	b.WriteString("complete -c policylint -f\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "complete -c policylint -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.desc))
	}
	b.WriteString("complete -c policylint -n __fish_use_subcommand -l version -d 'print the version'\n")
	for _, c := range spec {
		in := fishQuote("__fish_seen_subcommand_from " + c.name)
		for _, f := range c.flags {
			fmt.Fprintf(&b, "complete -c policylint -n %s -l %s", in, f.long)
			if f.short != "" {
				fmt.Fprintf(&b, " -s %s", f.short)
			}
			switch {
			case f.values != nil:
				fmt.Fprintf(&b, " -x -a %s", fishQuote(strings.Join(f.values, " ")))
			case f.files || f.dirs:
				b.WriteString(" -r -F")
			case f.value:
				b.WriteString(" -x")
			}
			fmt.Fprintf(&b, " -d %s\n", fishQuote(f.usage))
		}
		switch {
		case c.name == "rules":
			fmt.Fprintf(&b, "complete -c policylint -n %s -a %s\n", fishQuote("__fish_seen_subcommand_from rules; and not __fish_seen_subcommand_from explain test"), fishQuote(strings.Join(c.subs, " ")))
			fmt.Fprintf(&b, "complete -c policylint -n %s -a %s\n", fishQuote("__fish_seen_subcommand_from explain"), fishQuote(ruleSlugs()))
			fmt.Fprintf(&b, "complete -c policylint -n %s -l markdown -d 'the page of docs/rules/'\n", fishQuote("__fish_seen_subcommand_from explain"))
			fmt.Fprintf(&b, "complete -c policylint -n %s -a '(__fish_complete_directories)'\n", fishQuote("__fish_seen_subcommand_from test"))
		case c.subs != nil:
			fmt.Fprintf(&b, "complete -c policylint -n %s -a %s\n", in, fishQuote(strings.Join(c.subs, " ")))
		case c.files:
			fmt.Fprintf(&b, "complete -c policylint -n %s -F\n", in)
		}
	}
	io.WriteString(w, b.String())
}
