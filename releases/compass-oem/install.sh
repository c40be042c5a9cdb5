#!/bin/sh
# Installs the Compass components from this folder: serves the image payload with a stock registry,
# loads the release image, then hands over to cadm with config.sample's settings.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
registry_root=${REGISTRY_ROOT:-/var/lib/compass-registry}
mkdir -p "$registry_root"
tar -xzf "$here/pangolin-deploy-images.tar.gz" -C "$registry_root"
docker load -i "$here/image/release.tar.gz" 2>/dev/null || echo "no release image in this bundle"
exec "$here/cadm" install --config "${CONFIG:-$here/config.sample}"
