#!/usr/bin/env bash
# Tests the pre-commit hooks in .pre-commit-hooks.yaml with the real pre-commit.
#
# usage: .ci/precommit-test.sh ROOT      (ROOT: the policylint checkout, e.g. .)
#
# Installs pre-commit from Debian's packages when it is missing, builds policylint from ROOT for
# the `policylint-system` hook, snapshots ROOT (committed, modified and untracked files that are
# not ignored) into a temporary git repository for `pre-commit try-repo` to install from, and runs
# both hooks in a temporary project holding a good and two bad policies:
#   - good + bad files: the hook fails with policylint's exit 1 and names each bad file with its
#     finding (PL5001 session-principal, PL1001 json-syntax), and never the good file;
#   - good files only: the hook passes;
#   - notes.txt (not JSON) is passed every time and must be skipped (`types_or`);
#   - a repository with package.json, a GitHub workflow and a Terraform file (run on all its
#     files): the workflow's and the Terraform file's findings are reported, package.json is
#     skipped with a notice and named in no finding.
# The `policylint` hook is pre-commit's golang language: it runs `go install ./...` in its clone
# of the snapshot, so it needs Go on PATH and the Go module proxy (or a warm module cache).
# Prints PASS/FAIL per check and exits 1 when any check failed. Temporary files are removed.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 ROOT" >&2
  exit 2
fi
root=$(cd "$1" && pwd)
if [ ! -f "$root/.pre-commit-hooks.yaml" ]; then
  echo "$root has no .pre-commit-hooks.yaml" >&2
  exit 2
fi
fixtures="$root/testdata/hooks"

export PATH="$PATH:/usr/local/go/bin"
# The checks below read policylint's text format: inside GitHub Actions it would default to
# --format github, so make the output the same everywhere.
unset GITHUB_ACTIONS
export NO_COLOR=1
# pre-commit's golang language sets GOPATH to the hook's environment; keep the module and build
# caches where they are so that the hook's `go install` reuses them.
GOMODCACHE=$(go env GOMODCACHE)
GOCACHE=$(go env GOCACHE)
export GOMODCACHE GOCACHE

failures=0
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }

work=$(mktemp -d "${TMPDIR:-/tmp}/policylint-precommit.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"

# git with an identity and no signing, for the temporary repositories only.
tgit() {
  git -c user.name=policylint-ci -c user.email=ci@policylint.invalid \
    -c commit.gpgsign=false -c init.defaultBranch=main "$@"
}

echo "== pre-commit"
if ! pre-commit --version >/dev/null 2>&1; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pre-commit >/dev/null
fi
pre-commit --version

echo "== build policylint for the system hook"
mkdir -p "$work/bin"
(cd "$root" && go build -o "$work/bin/policylint" ./cmd/policylint)
"$work/bin/policylint" --version

echo "== snapshot $root for try-repo"
src="$work/hooks-repo"
mkdir -p "$src"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked files as they are on disk (deleted ones skipped) and untracked files that are not
  # ignored: the snapshot is the working tree, so a dirty checkout is tested as it is.
  git -C "$root" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
      if [ -e "$root/$f" ] || [ -L "$root/$f" ]; then
        printf '%s\0' "$f"
      fi
    done |
    sort -zu |
    tar -C "$root" --null --no-recursion -T - -cf - |
    tar -C "$src" -xf -
else
  cp -a "$root/." "$src/"
  rm -rf "$src/.git"
fi
tgit -C "$src" init -q
tgit -C "$src" add -A -f .
tgit -C "$src" commit -q -m "policylint snapshot for pre-commit try-repo"
echo "snapshot: $(git -C "$src" ls-files | wc -l) files at $(git -C "$src" rev-parse --short HEAD)"

echo "== project with policies"
proj="$work/project"
mkdir -p "$proj"
cp "$fixtures/good/session-policy.json" "$proj/good.json"
cp "$fixtures/good/assume-role-request.json" "$proj/good-request.json"
cp "$fixtures/bad/principal.json" "$proj/bad.json"
cp "$fixtures/bad/trailing-comma.json" "$proj/bad-syntax.json"
printf '{ this is not JSON, and not a policy\n' >"$proj/notes.txt"
tgit -C "$proj" init -q
tgit -C "$proj" add -A
tgit -C "$proj" commit -q -m "policies"

# try_hook NAME SEARCH_PATH HOOK FILE...: runs the hook with try-repo in the project, with PATH set
# to SEARCH_PATH; sets $out and $code.
try_hook() {
  local name=$1 search_path=$2 hook=$3
  shift 3
  local start=$SECONDS
  code=0
  out=$(cd "$proj" && PATH="$search_path" pre-commit try-repo --color never "$src" "$hook" --files "$@" 2>&1) || code=$?
  printf -- '-- %s: exit %d in %ds\n' "$name" "$code" "$((SECONDS - start))"
  printf '%s\n' "$out" | sed 's/^/   | /'
}

# check_failing HOOK SEARCH_PATH: good and bad files together.
check_failing() {
  local hook=$1 search_path=$2
  try_hook "$hook on good and bad files" "$search_path" "$hook" \
    good.json good-request.json bad.json bad-syntax.json notes.txt
  if [ "$code" -ne 0 ]; then
    pass "$hook: fails on bad files (exit $code)"
  else
    fail "$hook: passed although bad.json and bad-syntax.json have findings"
  fi
  if grep -q -- '- exit code: 1$' <<<"$out"; then
    pass "$hook: policylint exited 1 (findings), not 2 or 3"
  else
    fail "$hook: pre-commit did not report policylint's exit code 1"
  fi
  if grep -Eq '^bad\.json:[0-9]+:[0-9]+: .*\[PL5001 session-principal\]$' <<<"$out"; then
    pass "$hook: names bad.json with [PL5001 session-principal]"
  else
    fail "$hook: no 'bad.json:LINE:COL: ... [PL5001 session-principal]' in the output"
  fi
  if grep -Eq '^bad-syntax\.json:[0-9]+:[0-9]+: .*\[PL1001 json-syntax\]$' <<<"$out"; then
    pass "$hook: names bad-syntax.json with [PL1001 json-syntax]"
  else
    fail "$hook: no 'bad-syntax.json:LINE:COL: ... [PL1001 json-syntax]' in the output"
  fi
  if grep -Eq '^(good\.json|good-request\.json|notes\.txt):' <<<"$out"; then
    fail "$hook: reported a finding in a good file or in notes.txt"
  else
    pass "$hook: no finding in the good files; notes.txt skipped"
  fi
}

# check_passing HOOK SEARCH_PATH: good files only.
check_passing() {
  local hook=$1 search_path=$2
  try_hook "$hook on good files" "$search_path" "$hook" good.json good-request.json notes.txt
  if [ "$code" -eq 0 ] && grep -Eq '\.Passed$' <<<"$out"; then
    pass "$hook: passes on good files"
  else
    fail "$hook: exit $code on good files only (want 0 and Passed)"
  fi
}

# The second project: what a repository holds besides policies.
kinds="$work/kinds"
mkdir -p "$kinds/.github/workflows" "$kinds/infra"
cp "$fixtures/kinds/package.json" "$kinds/package.json"
cp "$fixtures/kinds/deploy.yml" "$kinds/.github/workflows/deploy.yml"
cp "$fixtures/kinds/pods.tf" "$kinds/infra/pods.tf"
tgit -C "$kinds" init -q
tgit -C "$kinds" add -A
tgit -C "$kinds" commit -q -m "a repository with a workflow and Terraform"

# check_kinds HOOK SEARCH_PATH: the hook on every file of the second project.
check_kinds() {
  local hook=$1 search_path=$2
  local start=$SECONDS
  code=0
  out=$(cd "$kinds" && PATH="$search_path" pre-commit try-repo --color never "$src" "$hook" --all-files 2>&1) || code=$?
  printf -- '-- %s on package.json, a workflow and a Terraform file: exit %d in %ds\n' "$hook" "$code" "$((SECONDS - start))"
  printf '%s\n' "$out" | sed 's/^/   | /'
  if [ "$code" -ne 0 ] && grep -q -- '- exit code: 1$' <<<"$out"; then
    pass "$hook: fails on the workflow's and the Terraform file's findings (policylint exit 1)"
  else
    fail "$hook: exit $code, want a failure with policylint's exit code 1"
  fi
  if grep -Eq '^\.github/workflows/deploy\.yml:[0-9]+:[0-9]+: .*\[PL4040 action-input\]$' <<<"$out"; then
    pass "$hook: lints the workflow (.github/workflows/deploy.yml [PL4040 action-input])"
  else
    fail "$hook: no '.github/workflows/deploy.yml:LINE:COL: ... [PL4040 action-input]' in the output"
  fi
  if grep -Eq '^infra/pods\.tf:[0-9]+:[0-9]+: .*\[PL4042 eks-session-tags\]$' <<<"$out"; then
    pass "$hook: lints the Terraform file (infra/pods.tf [PL4042 eks-session-tags])"
  else
    fail "$hook: no 'infra/pods.tf:LINE:COL: ... [PL4042 eks-session-tags]' in the output"
  fi
  if grep -Eq '^package\.json:' <<<"$out" || ! grep -q 'notice: package.json skipped' <<<"$out"; then
    fail "$hook: package.json was reported, or not skipped with a notice"
  else
    pass "$hook: leaves package.json alone (skipped with a notice)"
  fi
}

echo "== hook policylint-system (language: system)"
check_failing policylint-system "$work/bin:$PATH"
check_passing policylint-system "$work/bin:$PATH"
check_kinds policylint-system "$work/bin:$PATH"

echo "== hook policylint (language: golang, built by pre-commit)"
# PATH without any directory holding a policylint (such as $(go env GOPATH)/bin): the hook must
# run the binary that pre-commit built from the snapshot, so it has to be named policylint.
no_policylint_path=""
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
  if [ -n "$d" ] && [ ! -e "$d/policylint" ]; then
    no_policylint_path="${no_policylint_path:+$no_policylint_path:}$d"
  fi
done
check_failing policylint "$no_policylint_path"
check_passing policylint "$no_policylint_path"
check_kinds policylint "$no_policylint_path"

echo
if [ "$failures" -ne 0 ]; then
  echo "FAIL: $failures pre-commit hook check(s) failed"
  exit 1
fi
echo "PASS: all pre-commit hook checks passed"
