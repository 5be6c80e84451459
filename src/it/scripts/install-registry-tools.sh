#!/usr/bin/env bash
# Installs what the integration tests run against, when missing: Debian's docker-registry (the CNCF distribution
# registry) and skopeo. Run by `./mvnw verify` before the integration tests; also fine to run by hand.
set -euo pipefail

if command -v skopeo >/dev/null 2>&1 && test -x /usr/bin/docker-registry; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "install-registry-tools: docker-registry and/or skopeo are missing and this user can't install them" >&2
  echo "  (not root, no password-less sudo). Install them: apt-get install -y docker-registry skopeo" >&2
  exit 1
fi

echo "install-registry-tools: installing docker-registry and skopeo with apt-get" >&2
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends docker-registry skopeo

if ! command -v skopeo >/dev/null 2>&1 || ! test -x /usr/bin/docker-registry; then
  echo "install-registry-tools: apt-get finished but docker-registry or skopeo is still missing" >&2
  exit 1
fi
