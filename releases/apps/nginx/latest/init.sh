#!/usr/bin/env bash
# init.sh ARCH NAME VERSION: lays out what the cluster image carries. Offline example: nothing to download.
set -euo pipefail
ARCH=${1:?usage: init.sh ARCH NAME VERSION} NAME=${2:?} VERSION=${3:?}
cd "$(dirname "$0")"
mkdir -p manifests images/shim
cat > manifests/nginx.yaml <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${NAME} }
spec:
  template:
    spec:
      containers:
        - name: nginx
          image: docker.io/library/nginx:${VERSION}
YAML
echo "built layout for ${NAME} ${VERSION} (${ARCH})"
