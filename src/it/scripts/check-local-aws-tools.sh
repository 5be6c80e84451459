#!/usr/bin/env bash
# Checks, before the integration tests, the local AWS tools they run against. These ship on the project's machine
# image (they are not Debian packages, and PyPI is not reachable from CI): moto 5.2.1's server, cfn-lint 1.51 and
# aws-sam-translator 1.110. A missing tool fails the build here with one line saying what to install; the tests that
# need it would fail too (they never skip), but later and with a longer message.
set -euo pipefail

missing=()
command -v python3 >/dev/null 2>&1 || missing+=("python3")
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import moto.server' 2>/dev/null || missing+=("moto[server]==5.2.1 (python3 -m moto.server)")
  python3 -c 'import samtranslator' 2>/dev/null || missing+=("aws-sam-translator==1.110.0")
fi
command -v cfn-lint >/dev/null 2>&1 || missing+=("cfn-lint==1.51.0")
command -v script >/dev/null 2>&1 || missing+=("script (Debian package bsdutils)")

if [ "${#missing[@]}" -gt 0 ]; then
  list="${missing[0]}"
  for tool in "${missing[@]:1}"; do list="$list, $tool"; done
  printf 'check-local-aws-tools: missing: %s. Install them (pip install "moto[server]==5.2.1" cfn-lint==1.51.0 aws-sam-translator==1.110.0; apt-get install bsdutils) and run again.\n' "$list" >&2
  exit 1
fi
