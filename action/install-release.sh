#!/usr/bin/env bash
# Installs a policylint release for the runner it runs on, for the GitHub Action (action.yml):
# downloads the release's checksums.txt and the archive for this OS and architecture, checks the
# archive's SHA-256 against checksums.txt, unpacks the binary and runs its --version. No Go.
#
# Environment:
#   POLICYLINT_VERSION   the release: a tag (v1.4.0, or 1.4.0) or "latest"
#   POLICYLINT_RELEASES  the releases' base URL (https://github.com/policylint/policylint/releases);
#                        https, or http on 127.0.0.1 or localhost (for the tests)
#   POLICYLINT_BIN       the folder to install policylint into
#   RUNNER_OS            Linux, macOS or Windows, as GitHub sets it
#   RUNNER_ARCH          X64 or ARM64, as GitHub sets it
# Exits 1 with an ::error:: line naming the problem: an unknown runner, a download that failed,
# no archive for this runner in checksums.txt, a checksum that does not match, a binary that
# does not run or is not the version asked for.
set -euo pipefail

fail() {
  echo "::error title=policylint::$*"
  exit 1
}

version=${POLICYLINT_VERSION:?POLICYLINT_VERSION is not set}
releases=${POLICYLINT_RELEASES:-https://github.com/policylint/policylint/releases}
releases=${releases%/}
bin=${POLICYLINT_BIN:?POLICYLINT_BIN is not set}

case "$releases" in
https://* | http://127.0.0.1[:/]* | http://localhost[:/]*) ;;
*) fail "releases URL $releases: want https://" ;;
esac

case "${RUNNER_OS:-}" in
Linux) os=linux ext=tar.gz exe= ;;
macOS) os=darwin ext=tar.gz exe= ;;
Windows) os=windows ext=zip exe=.exe ;;
*) fail "no policylint release for the runner OS '${RUNNER_OS:-}' (Linux, macOS and Windows have one): leave version empty to build it" ;;
esac
case "${RUNNER_ARCH:-}" in
X64) arch=amd64 ;;
ARM64) arch=arm64 ;;
*) fail "no policylint release for the runner architecture '${RUNNER_ARCH:-}' (X64 and ARM64 have one): leave version empty to build it" ;;
esac

if [ "$version" = latest ]; then
  base="$releases/latest/download"
  want_version='[^_ ]+'
else
  tag="v${version#v}"
  base="$releases/download/$tag"
  # The version as a regular expression: its dots, pluses and the like stand for themselves.
  want_version=$(printf '%s' "${tag#v}" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
fi

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/policylint-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

download() { # URL FILE
  curl --fail --silent --show-error --location --retry 3 --retry-delay 2 \
    --proto '=https,http' --proto-redir '=https' --output "$2" "$1" ||
    fail "could not download $1 (is $version a policylint release?)"
}

download "$base/checksums.txt" "$work/checksums.txt"
line=$(grep -E "^[0-9a-f]{64}  policylint_${want_version}_${os}_${arch}\\.${ext//./\\.}\$" "$work/checksums.txt" || true)
if [ -z "$line" ] || [ "$(printf '%s\n' "$line" | wc -l)" -ne 1 ]; then
  fail "checksums.txt of policylint $version lists no single archive for ${os}_${arch} (.$ext)"
fi
want_sum=${line%% *}
archive=${line##* }

download "$base/$archive" "$work/$archive"
if command -v sha256sum >/dev/null 2>&1; then
  got_sum=$(sha256sum "$work/$archive")
else
  got_sum=$(shasum -a 256 "$work/$archive")
fi
got_sum=${got_sum%% *}
if [ "$got_sum" != "$want_sum" ]; then
  fail "checksum mismatch for $archive: checksums.txt says sha256 $want_sum, the download is $got_sum; not installing it"
fi
echo "$archive: sha256 $got_sum, as checksums.txt says"

mkdir -p "$work/unpacked"
case "$ext" in
tar.gz) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
zip)
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$work/$archive" -d "$work/unpacked"
  elif command -v 7z >/dev/null 2>&1; then
    7z x -y -o"$work/unpacked" "$work/$archive" >/dev/null
  else
    pwsh -NoProfile -Command "Expand-Archive -LiteralPath '$work/$archive' -DestinationPath '$work/unpacked'"
  fi
  ;;
esac
[ -f "$work/unpacked/policylint$exe" ] || fail "$archive holds no policylint$exe"

mkdir -p "$bin"
mv -f "$work/unpacked/policylint$exe" "$bin/policylint$exe"
chmod +x "$bin/policylint$exe"
# The custom-rule worker, which policylint runs from beside itself for --rules.
if [ -f "$work/unpacked/policylint-rules$exe" ]; then
  mv -f "$work/unpacked/policylint-rules$exe" "$bin/policylint-rules$exe"
  chmod +x "$bin/policylint-rules$exe"
else
  echo "::warning::$archive holds no policylint-rules$exe: custom rules (--rules, rules-dirs) cannot run with this release"
fi
about=$("$bin/policylint$exe" --version) || fail "the policylint of $archive does not run on this runner"
printf '%s\n' "$about"
first=${about%%$'\n'*}
if [ "$version" != latest ] && [ "$first" != "policylint ${tag#v}" ]; then
  fail "$archive holds '$first', not policylint ${tag#v}"
fi
