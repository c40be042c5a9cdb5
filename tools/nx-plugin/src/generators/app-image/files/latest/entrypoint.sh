#!/usr/bin/env bash
# Runs on the cluster when the image is applied: installs every chart in charts/ (each in a namespace of
# its own name unless NAMESPACE is set), then applies manifests/.
set -euo pipefail
cd "$(dirname "$0")"
for chart in charts/*/; do
  [ -d "$chart" ] || continue
  release=$(basename "$chart")
  values=()
  [ -f "charts/${release}.values.yaml" ] && values=(--values "charts/${release}.values.yaml")
  helm upgrade --install "$release" "$chart" --namespace "${NAMESPACE:-$release}" --create-namespace ${values[@]+"${values[@]}"}
done
if compgen -G 'manifests/*' >/dev/null; then
  kubectl apply -f manifests/
fi
