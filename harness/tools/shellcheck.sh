#!/usr/bin/env bash
# Lints every shell script in the repository with shellcheck (part of `npm run lint`).
# The linter comes with the host setup, which `npm test` needs anyway: a fresh machine gets it here.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v shellcheck >/dev/null; then
  echo "lint: shellcheck is missing: running the host setup, which installs it" >&2
  bash harness/host/setup.sh >&2 || exit 2
fi

mapfile -t scripts < <(git ls-files -- '*.sh' .ci/run 'harness/images/node/files/usr/local/bin/*')
shellcheck "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"
