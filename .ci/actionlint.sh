#!/usr/bin/env bash
# Lints the GitHub Actions files of a policylint checkout.
#
# usage: .ci/actionlint.sh ROOT      (ROOT: the policylint checkout, e.g. .)
#
# 1. actionlint v1.7.12 (built from the Go module proxy, or the `actionlint` on PATH when it is
#    that version) on ROOT/.github/workflows/*.yml and *.yaml, with shellcheck for the run:
#    scripts (installed from Debian's packages when missing). A workflow that uses `uses: ./` makes
#    actionlint parse action.yml too and check the inputs it is given.
# 2. action.yml, which actionlint does not lint itself (it is action metadata, not a workflow):
#    - no ${{ ... }} expression inside a run: script: inputs and contexts reach scripts through
#      env: only, so that no value can inject shell code;
#    - each run: script passes shellcheck (as bash);
#    - it parses as YAML and has the shape of a composite action (python3 with PyYAML; skipped
#      with a message when that is not there).
# 3. the scripts in action/ pass shellcheck.
# 4. every `uses:` of action.yml and the workflows is pinned by a full commit hash.
# 5. the README's code scanning workflow passes actionlint.
# Prints PASS/FAIL/SKIP per check and exits 1 when any check failed.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 ROOT" >&2
  exit 2
fi
root=$(cd "$1" && pwd)
actionlint_version=v1.7.12

export PATH="$PATH:/usr/local/go/bin"
failures=0
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
skip() { printf 'SKIP: %s\n' "$*"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/policylint-actionlint.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== shellcheck"
if ! command -v shellcheck >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo -n)
  fi
  if "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; then
    :
  else
    echo "could not install shellcheck with apt-get"
  fi
fi
have_shellcheck=false
if command -v shellcheck >/dev/null 2>&1; then
  have_shellcheck=true
  shellcheck --version | sed -n 2p
else
  echo "shellcheck is not installed: run: scripts are not checked"
fi

echo "== actionlint $actionlint_version"
actionlint=actionlint
if ! command -v actionlint >/dev/null 2>&1 ||
  [ "$(actionlint -version 2>/dev/null | head -n 1)" != "$actionlint_version" ]; then
  GOBIN="$work/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version"
  actionlint="$work/bin/actionlint"
fi
"$actionlint" -version | head -n 1

workflows=()
for f in "$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml; do
  if [ -f "$f" ]; then
    workflows+=("${f#"$root"/}")
  fi
done
if [ "${#workflows[@]}" -eq 0 ]; then
  fail "no workflow in $root/.github/workflows"
else
  # From ROOT, so that `uses: ./` resolves to ROOT/action.yml and paths print relative to it.
  if (cd "$root" && "$actionlint" -no-color "${workflows[@]}"); then
    pass "actionlint: ${workflows[*]}"
  else
    fail "actionlint: ${workflows[*]}"
  fi
fi

echo "== README: the code scanning workflow"
readme_workflow="$work/readme-code-scanning.yml"
awk '/^#### Code scanning/ { found = 1 } found && /^```yaml$/ { inblock = 1; next } inblock && /^```$/ { exit } inblock { print }' \
  "$root/README.md" >"$readme_workflow"
if [ ! -s "$readme_workflow" ]; then
  fail "README.md: no yaml block after '#### Code scanning'"
elif "$actionlint" -no-color "$readme_workflow"; then
  pass "actionlint: README.md's code scanning workflow"
else
  fail "actionlint: README.md's code scanning workflow"
fi

echo "== action.yml"
action="$root/action.yml"
if [ ! -f "$action" ]; then
  fail "no action.yml in $root"
else
  # Every run: script, as its own file (run-LINE.sh, LINE being the line of `run:`, 5 digits), and every
  # line of one that holds an expression (in expressions.txt, as LINE: TEXT).
  mkdir -p "$work/run"
  awk -v dir="$work/run" '
    function indent(s) { match(s, /^ */); return RLENGTH }
    function start(n) { file = sprintf("%s/run-%05d.sh", dir, n); print "#!/usr/bin/env bash" > file }
    function finish() { if (file != "") close(file); file = ""; inblock = 0 }
    {
      if (inblock) {
        if ($0 ~ /^[[:space:]]*$/) { print "" > file; next }
        if (indent($0) > key) {
          if (body < 0) body = indent($0)
          if (index($0, "${{") > 0) print NR ": " $0 > (dir "/expressions.txt")
          print substr($0, body + 1) > file
          next
        }
        finish()
      }
      if (match($0, /^[[:space:]]*(-[[:space:]]+)?run:[[:space:]]*/)) {
        key = index($0, "run:") - 1
        rest = substr($0, RLENGTH + 1)
        start(NR)
        if (rest ~ /^[|>][-+0-9]*[[:space:]]*(#.*)?$/) { inblock = 1; body = -1; next }
        if (index(rest, "${{") > 0) print NR ": " $0 > (dir "/expressions.txt")
        print rest > file
        finish()
      }
    }
    END { finish() }
  ' "$action"

  scripts=("$work"/run/run-*.sh)
  if [ ! -e "${scripts[0]}" ]; then
    fail "action.yml: no run: script found (the extraction is broken, or the action changed shape)"
  fi

  if [ -s "$work/run/expressions.txt" ]; then
    fail "action.yml: \${{ }} inside run: scripts; pass the value through env: and use \"\$VAR\":"
    sed 's/^/    action.yml:/' "$work/run/expressions.txt"
  else
    pass "action.yml: no \${{ }} expression inside its ${#scripts[@]} run: scripts"
  fi

  if [ "$have_shellcheck" = true ]; then
    for s in "${scripts[@]}"; do
      [ -e "$s" ] || continue
      line=$(basename "$s" .sh)
      line=$((10#${line#run-}))
      if shellcheck -s bash "$s"; then
        pass "shellcheck: action.yml run: script at line $line"
      else
        fail "shellcheck: action.yml run: script at line $line (script line N is action.yml line $line+N-1)"
      fi
    done
  else
    skip "shellcheck of action.yml's run: scripts (shellcheck not installed)"
  fi

  if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' >/dev/null 2>&1; then
    if python3 - "$action" <<'PY'
import re
import sys

import yaml

path = sys.argv[1]
try:
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
except yaml.YAMLError as e:
    print(f"{path}: not valid YAML: {e}")
    sys.exit(1)

problems = []
if not isinstance(doc, dict):
    print(f"{path}: not a mapping")
    sys.exit(1)
for key in ("name", "description", "runs"):
    if key not in doc:
        problems.append(f"no {key}")
inputs = doc.get("inputs") or {}
runs = doc.get("runs") or {}
if runs.get("using") != "composite":
    problems.append("runs.using is not composite")
steps = runs.get("steps") or []
ids = set()
for i, step in enumerate(steps):
    where = f"runs.steps[{i}]" + (f" ({step.get('name')})" if step.get("name") else "")
    if "run" in step and "shell" not in step:
        problems.append(f"{where}: run: without shell: (required in a composite action)")
    if "run" in step and "uses" in step:
        problems.append(f"{where}: both run: and uses:")
    if "id" in step:
        ids.add(step["id"])
text = open(path, encoding="utf-8").read()
for name in sorted(set(re.findall(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)", text))):
    if name not in inputs:
        problems.append(f"inputs.{name} is used but not declared")
for name, out in (doc.get("outputs") or {}).items():
    value = str((out or {}).get("value", ""))
    for step_id in re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs", value):
        if step_id not in ids:
            problems.append(f"output {name}: no step with id {step_id}")
for p in problems:
    print(f"{path}: {p}")
sys.exit(1 if problems else 0)
PY
    then
      pass "action.yml: valid YAML, a composite action, every input and step id it uses is declared"
    else
      fail "action.yml: structure (see above)"
    fi
  else
    skip "action.yml YAML structure check (python3 with PyYAML not installed)"
  fi
fi

echo "== action/*.sh (the scripts action.yml runs)"
if [ "$have_shellcheck" = true ]; then
  for s in "$root"/action/*.sh; do
    [ -e "$s" ] || continue
    if shellcheck -s bash "$s"; then
      pass "shellcheck: ${s#"$root"/}"
    else
      fail "shellcheck: ${s#"$root"/}"
    fi
  done
else
  skip "shellcheck of action/*.sh (shellcheck not installed)"
fi

echo "== every action is pinned by commit"
# uses: OWNER/REPO[/PATH]@REF in action.yml and the workflows must name a full commit hash (a tag
# can be moved to other code); local actions (./) are exempt.
unpinned=$(grep -nE '^[[:space:]]*(-[[:space:]]+)?uses:[[:space:]]' "$action" "$root"/.github/workflows/*.yml 2>/dev/null |
  grep -vE 'uses:[[:space:]]+"?\./' | grep -vE 'uses:[[:space:]]+"?[^@[:space:]]+@[0-9a-f]{40}"?([[:space:]]+#.*)?$' || true)
if [ -n "$unpinned" ]; then
  fail "actions not pinned by a 40-character commit hash:"
  printf '%s\n' "$unpinned" | sed "s|^$root/|    |"
else
  pass "every uses: names a commit hash"
fi

echo
if [ "$failures" -ne 0 ]; then
  echo "FAIL: $failures actions check(s) failed"
  exit 1
fi
echo "PASS: all actions checks passed"
