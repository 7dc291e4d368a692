package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/policylint/policylint/lint"
)

// commands are policylint's subcommands, for "did you mean" and for completion.
var commands = []struct{ name, desc string }{
	{"lint", "lint policy and request files"},
	{"pack", "estimate the packed size of each request"},
	{"rules", "list, explain and test rules"},
	{"catalog", "update or show AWS's service reference"},
	{"completion", "print a shell completion script (bash, zsh, fish)"},
	{"version", "print the version"},
	{"help", "print the usage"},
}

func commandNames() []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return names
}

// flagError is a flag parsing error, with the closest flag when the flag is unknown:
// "unknown flag: --formt: did you mean --format?". A long flag written with one dash (-format)
// is looked up as a long flag.
func flagError(fl *pflag.FlagSet, err error) string {
	var ne *pflag.NotExistError
	if !errors.As(err, &ne) {
		return err.Error()
	}
	name := ne.GetSpecifiedName()
	if s := ne.GetSpecifiedShortnames(); len(s) > 1 {
		name = s
	}
	var names []string
	fl.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	if s := lint.Suggest(name, names); s != "" {
		return fmt.Sprintf("%v: did you mean --%s?", err, s)
	}
	return err.Error()
}

// helpSink receives a command's flags when it is asked for help: completion asks so.
type helpSink interface {
	helpFlags(name string, fl *pflag.FlagSet)
}

// writeHelp writes a command's usage and flags, or hands the flags to a helpSink.
func writeHelp(w io.Writer, usage string, fl *pflag.FlagSet) {
	if s, ok := w.(helpSink); ok {
		s.helpFlags(fl.Name(), fl)
		return
	}
	fmt.Fprint(w, usage+fl.FlagUsages())
}
