package main

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: what is written to tty can be read from the returned
// controller.
func openPTY(t *testing.T) (controller, tty *os.File) {
	t.Helper()
	controller, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { controller.Close() })
	fd := int(controller.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return controller, tty
}

// TestIsTerminal_DevNullIsNot pins the bug x/term fixed: /dev/null is a character device, not a
// terminal, so `policylint lint p.json >/dev/null` must not be treated as interactive.
func TestIsTerminal_DevNullIsNot(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) {
		t.Error("/dev/null is taken for a terminal")
	}
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is taken for a terminal")
	}
	_, tty := openPTY(t)
	if !isTerminal(tty) {
		t.Error("a pseudo-terminal is not taken for a terminal")
	}
}

// TestRun_TerminalGetsSnippetAndColour runs lint with its output on a real pseudo-terminal: the
// caret snippet and colours appear there, and not when NO_COLOR is set.
func TestRun_TerminalGetsSnippetAndColour(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.json": badJSON})
	t.Chdir(dir)
	for _, noColor := range []bool{false, true} {
		controller, tty := openPTY(t)
		if noColor {
			t.Setenv("NO_COLOR", "1")
		}
		var errOut bytes.Buffer
		code := run([]string{"lint", "bad.json"}, strings.NewReader(""), tty, &errOut)
		tty.Close()
		if code != exitFindings {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		got := readAll(t, controller)
		if !strings.Contains(got, " | ") || !strings.Contains(got, "^") {
			t.Errorf("NO_COLOR=%v: no snippet on a terminal:\n%q", noColor, got)
		}
		if hasColour := strings.Contains(got, "\x1b["); hasColour == noColor {
			t.Errorf("NO_COLOR=%v: colours %v on a terminal:\n%q", noColor, hasColour, got)
		}
	}
}

// readAll reads what the terminal received until the other side is closed.
func readAll(t *testing.T, controller *os.File) string {
	t.Helper()
	if err := controller.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, err := controller.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			if err != io.EOF && !strings.Contains(err.Error(), "input/output error") {
				t.Logf("read: %v", err)
			}
			return b.String()
		}
	}
}
