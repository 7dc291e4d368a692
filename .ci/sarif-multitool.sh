#!/usr/bin/env bash
# Validates policylint's SARIF with Microsoft's SARIF multitool, with the SARIF rules and GitHub
# code scanning's ingestion rules (rule kinds Sarif and Ghas), besides the schema test of `go test`.
#
# usage: .ci/sarif-multitool.sh POLICYLINT      (POLICYLINT: a policylint binary)
#
# Installs @microsoft/sarif-multitool from npm into a temporary folder (its Linux package ships a
# self-contained .NET build: no .NET runtime needed), writes SARIF for every golden input from the
# repository's root (the rules' bad and good files, the request files, the hook fixtures) and
# for a clean run, and fails when the multitool reports any error or warning, or does not
# report a log that is broken on purpose.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 POLICYLINT" >&2
  exit 2
fi
policylint=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
multitool_version=5.7.0

work=$(mktemp -d "${TMPDIR:-/tmp}/policylint-sarif.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== @microsoft/sarif-multitool@$multitool_version"
(cd "$work" && npm install --silent --no-audit --no-fund --prefix "$work" "@microsoft/sarif-multitool@$multitool_version" >/dev/null)
# The package's bin.js runs the binary through a shell, which splits the ; of "Sarif;Ghas": run
# the binary itself.
multitool="$work/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
chmod u+x "$multitool"
"$multitool" --version | head -n 1

echo "== SARIF from policylint"
set +e
"$policylint" lint --format sarif --no-color \
  testdata/rules testdata/requests testdata/hooks >"$work/findings.sarif"
code=$?
"$policylint" lint --format sarif testdata/hooks/good >"$work/clean.sarif"
clean=$?
set -e
if [ "$code" -ne 1 ] || [ "$clean" -ne 0 ]; then
  echo "FAIL: policylint exited $code on the goldens (want 1) and $clean on good files (want 0)"
  exit 1
fi
echo "$(grep -c '"ruleId"' "$work/findings.sarif") results in findings.sarif, none in clean.sarif"

# SARIF2006 (a note) fetches every URI of the log to see that it answers; CI has no network.
cat >"$work/config.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
XML

# A log that code scanning rejects (a rule without help), to show that the validation can fail.
jq 'del(.runs[0].tool.driver.rules[0].help)' "$work/findings.sarif" >"$work/broken.sarif"

failed=0
for f in findings clean broken; do
  "$multitool" validate --config "$work/config.xml" --rule-kind "Sarif;Ghas" --level "Error;Warning" \
    --output "$work/$f.validation.sarif" "$work/$f.sarif" >"$work/$f.log" 2>&1 || true
  # Every result of the validation log is a problem at error or warning level (a result without
  # a level takes its rule's default, warning).
  problems=$(jq '[.runs[].results[]? | select((.level // "warning") == "error" or (.level // "warning") == "warning")] | length' \
    "$work/$f.validation.sarif" 2>/dev/null || echo "no validation log")
  if [ "$f" = broken ]; then
    if [ "$problems" != 0 ] && grep -q 'GH2012' "$work/$f.log"; then
      echo "PASS: broken.sarif (a rule without help): the multitool reports GH2012, so it checks GitHub's rules"
    else
      echo "FAIL: broken.sarif (a rule without help) passed: the validation checks nothing"
      failed=1
    fi
  elif [ "$problems" = 0 ]; then
    echo "PASS: $f.sarif: no error or warning from the SARIF and GitHub (Ghas) rules"
  else
    echo "FAIL: $f.sarif: $problems problems"
    grep -E ': (error|warning) ' "$work/$f.log" | sed "s|$work/||" || cat "$work/$f.log"
    failed=1
  fi
done
exit "$failed"
