#!/usr/bin/env bash
# Installs everything sweeplab needs on a fresh machine, from package registries only
# (Debian, npm, the Go module proxy): no vendor downloads, so it works on an air-gapped
# cluster with registry mirrors. Safe to rerun; each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

# System packages: PostgreSQL for the local stack, Fashion-MNIST for the studies.
missing=()
have_postgres || missing+=(postgresql)
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install: ${missing[*]} (Debian/Ubuntu package names), or set DATABASE_URL / FASHION_MNIST_DIR" >&2
  fi
fi

# Node dependencies as locked; the postinstall step generates the Prisma client offline.
# Not `npm ci`: registry mirrors often serve only some platforms' optional binaries
# (e.g. @swc/core's), which npm leaves out of the lock file and `npm ci` then refuses.
npm install --no-audit --no-fund

# The Temporal CLI (local dev server + web UI), built once per machine with Go.
node bin/sweep.mjs dev install
