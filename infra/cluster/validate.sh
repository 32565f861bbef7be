#!/usr/bin/env bash
# Checks the cluster deployment offline, with the pinned tools of infra/cluster/tools.sh:
#
#  1. the worker images' Dockerfiles (infra/images/*.Dockerfile) with hadolint;
#  2. the worker chart (infra/cluster/sweeplab-worker) with `helm lint --strict`, rendered with
#     `helm template` for each values file in its ci/ folder and every Kubernetes version of
#     tools.sh's KUBE_VERSIONS, every manifest checked by kubeconform -strict against Kubernetes'
#     JSON schemas (PyPI's kubernetes-validate) and, for KEDA's ScaledObject, schemas/;
#  3. that the chart refuses what it must (no Secret named, no pool running the workflows);
#  4. Temporal's values file (temporal-values.yaml) parses; with TEMPORAL_CHART=<a checkout of
#     temporalio/helm-charts' charts/temporal>, also rendered with it and checked by kubeconform
#     (that chart is not in a package registry, so CI has no copy).
#
#   bash infra/cluster/validate.sh      # exit 0: all good; 1: a check failed; 3: tools missing
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=infra/cluster/tools.sh
source infra/cluster/tools.sh --paths
if ! bash infra/cluster/tools.sh --check; then exit 3; fi

chart=infra/cluster/sweeplab-worker
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
step() { echo "validate: $*"; }

step "hadolint $("$HADOLINT" --version | awk '{print $NF}'): infra/images/*.Dockerfile"
"$HADOLINT" --failure-threshold info infra/images/*.Dockerfile

kubeconform() { # version files...
  local version=$1; shift
  "$KUBECONFORM" -strict -summary -exit-on-error -kubernetes-version "$version" \
    -schema-location "$KUBE_SCHEMAS/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "infra/cluster/schemas/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" \
    "$@"
}

for values in "$chart"/ci/*-values.yaml; do
  for version in $KUBE_VERSIONS; do
    name=$(basename "$values" .yaml)-$version
    step "helm lint + template $(basename "$values") (Kubernetes $version)"
    "$HELM" lint --strict --quiet --kube-version "$version" -f "$values" "$chart" >"$out/lint.txt" 2>&1 || { cat "$out/lint.txt"; exit 1; }
    "$HELM" template sweeplab "$chart" --namespace sweeplab --kube-version "$version" -f "$values" >"$out/$name.yaml"
    # Hooks too (the migration Job): helm template renders them with the rest.
    kubeconform "$version" "$out/$name.yaml"
  done
done

step "the chart refuses a release without its Secret, and one where no pool runs the workflows"
if "$HELM" template sweeplab "$chart" >"$out/no-secret.txt" 2>&1; then echo "validate: rendered without secrets.existingSecret" >&2; exit 1; fi
grep -q 'secrets.existingSecret' "$out/no-secret.txt" || { cat "$out/no-secret.txt"; exit 1; }
if "$HELM" template sweeplab "$chart" --set secrets.existingSecret=s --set pools.cpu.control=false >"$out/no-control.txt" 2>&1; then
  echo "validate: rendered with no control pool" >&2; exit 1
fi
grep -q 'control: true' "$out/no-control.txt" || { cat "$out/no-control.txt"; exit 1; }

step "Temporal's values (infra/cluster/temporal-values.yaml) parse as Helm values"
# Helm reads them as it would for Temporal's chart (any chart's values merge parses the file).
"$HELM" template probe "$chart" --set secrets.existingSecret=s -f infra/cluster/temporal-values.yaml >/dev/null 2>"$out/tv.txt" || { cat "$out/tv.txt"; exit 1; }
if [ -n "${TEMPORAL_CHART:-}" ]; then
  for version in $KUBE_VERSIONS; do
    step "Temporal's chart ($TEMPORAL_CHART) with temporal-values.yaml (Kubernetes $version)"
    "$HELM" lint --kube-version "$version" -f infra/cluster/temporal-values.yaml "$TEMPORAL_CHART" >"$out/tlint.txt" 2>&1 || { cat "$out/tlint.txt"; exit 1; }
    "$HELM" template temporal "$TEMPORAL_CHART" --namespace temporal --kube-version "$version" -f infra/cluster/temporal-values.yaml >"$out/temporal-$version.yaml"
    kubeconform "$version" "$out/temporal-$version.yaml"
  done
else
  step "Temporal's chart itself: skipped (set TEMPORAL_CHART to a checkout of temporalio/helm-charts' charts/temporal)"
fi
step "all checks passed"
