#!/usr/bin/env bash
# init.sh ARCH NAME VERSION: lays out, in this folder, what the cluster image carries:
#   charts/       Helm charts; their images are found by rendering them (values: charts/<chart>.values.yaml)
#   manifests/    Kubernetes manifests; every image: in *.yaml, *.yml and *.tmpl files is carried
#   images/shim/  extra image lists, one reference per line
# Exit non-zero when VERSION does not exist upstream, so a mistyped version fails the build.
set -euo pipefail
usage='usage: init.sh ARCH NAME VERSION'
ARCH=${1:?$usage} NAME=${2:?$usage} VERSION=${3:?$usage}
cd "$(dirname "$0")"
mkdir -p charts manifests images/shim
# Fetch what this version needs, for example:
#   helm pull "oci://registry.example.com/charts/${NAME}" --version "${VERSION}" --untar --untardir charts
#   curl -fsSL "https://example.com/${NAME}/${VERSION}/${ARCH}/install.yaml" -o manifests/install.yaml
echo "init.sh: laid out ${NAME} ${VERSION} for ${ARCH}"
