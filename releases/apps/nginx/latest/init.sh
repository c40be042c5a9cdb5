#!/usr/bin/env bash
# init.sh ARCH NAME VERSION: lays out what the cluster image carries, as sealos' cluster-image init.sh does.
#
# With NGINX_MIRROR (a web server with nginx-<VERSION>.tgz and bin/<ARCH>/nginx-exporter, as tests start one)
# the chart and this arch's binary are downloaded from it. Without it — the offline quick start — the chart
# is the one this folder carries in files/charts/nginx and no binary is added.
# NGINX_REGISTRY names the registry holding library/nginx (default docker.io). Offline, with no registry to
# pull from, the image is listed in .sealignore: the cluster image is built without it and nodes pull it.
set -euo pipefail
ARCH=${1:?usage: init.sh ARCH NAME VERSION} NAME=${2:?} VERSION=${3:?}
cd "$(dirname "$0")"
REGISTRY=${NGINX_REGISTRY:-docker.io}
mkdir -p charts manifests images/shim opt
if [[ -n "${NGINX_MIRROR:-}" ]]; then
  curl -fsS "${NGINX_MIRROR}/nginx-${VERSION}.tgz" -o "charts/nginx-${VERSION}.tgz"
  curl -fsS "${NGINX_MIRROR}/bin/${ARCH}/nginx-exporter" -o opt/nginx-exporter
  chmod 0755 opt/nginx-exporter
else
  cp -R files/charts/nginx charts/nginx
fi
rm -rf files
cat > charts/nginx.values.yaml <<YAML
image:
  registry: ${REGISTRY}
  repository: library/nginx
  tag: "${VERSION}"
YAML
cat > manifests/nginx-service.yaml <<YAML
apiVersion: v1
kind: Service
metadata: { name: ${NAME} }
spec:
  selector: { app: ${NAME} }
  ports: [{ port: 80 }]
YAML
if [[ -z "${NGINX_REGISTRY:-}" && -z "${NGINX_MIRROR:-}" ]]; then
  echo "${REGISTRY}/library/nginx:${VERSION}" > .sealignore
fi
echo "laid out ${NAME} ${VERSION} for ${ARCH} (registry ${REGISTRY}, chart from ${NGINX_MIRROR:-files/charts})"
