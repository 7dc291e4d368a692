#!/usr/bin/env bash
# The GitHub Action's lint step (action.yml): one policylint run that prints annotations (or the
# chosen format) to the log and writes SARIF, the job summary and the count of findings.
#
# Environment (from the action's inputs):
#   POLICYLINT           the policylint binary
#   POLICYLINT_PATHS     files or folders, split on whitespace (spaces, tabs, newlines), no globbing
#   POLICYLINT_ARGS      more lint arguments, split the same way (no quoting)
#   POLICYLINT_FORMAT    the log's format: github, text or json
#   POLICYLINT_FAIL_ON   error, warning or info
#   POLICYLINT_SARIF     where to write SARIF; empty: a file under $RUNNER_TEMP
#   POLICYLINT_SUMMARY   "true" to append the Markdown report to $GITHUB_STEP_SUMMARY
# Sets the step outputs exit-code, findings (every finding, whatever its severity; empty when
# policylint could not lint) and sarif-file, and exits with policylint's exit code.
set -euo pipefail

paths=()
args=()
# Deliberate word splitting: on spaces, tabs and newlines only; no globbing, no quotes.
read -r -d '' -a paths <<<"${POLICYLINT_PATHS:-}" || true
read -r -d '' -a args <<<"${POLICYLINT_ARGS:-}" || true
if [ "${#paths[@]}" -eq 0 ]; then
  echo "::error title=policylint::the paths input is empty"
  echo "exit-code=2" >>"$GITHUB_OUTPUT"
  exit 2
fi

out=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/policylint.XXXXXX")
sarif=${POLICYLINT_SARIF:-$out/policylint.sarif}
mkdir -p -- "$(dirname -- "$sarif")"

cmd=("$POLICYLINT" lint --format "$POLICYLINT_FORMAT" --fail-on "$POLICYLINT_FAIL_ON"
  --output "sarif=$sarif" --output "github=$out/findings.github")
if [ "${POLICYLINT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cmd+=(--output "markdown=$out/summary.md")
fi
status=0
# ${args[@]+...}: an empty array under set -u, in the bash 3.2 of macOS too.
"${cmd[@]}" ${args[@]+"${args[@]}"} -- "${paths[@]}" || status=$?

findings=
if [ -f "$out/findings.github" ]; then
  # One line per finding, whatever its severity (report/github.go says so).
  findings=$(grep -c -E '^::(error|warning|notice) ' "$out/findings.github" || true)
fi
if [ -f "$out/summary.md" ]; then
  cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
if [ -f "$sarif" ]; then
  echo "SARIF written to $sarif"
else
  sarif=
fi
{
  echo "exit-code=$status"
  echo "findings=$findings"
  echo "sarif-file=$sarif"
} >>"$GITHUB_OUTPUT"
exit "$status"
