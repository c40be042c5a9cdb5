#!/usr/bin/env bash
set -euo pipefail
chart=$(ls -d charts/nginx* | grep -v values | head -1)
helm upgrade -i nginx "$chart" -f charts/nginx.values.yaml
kubectl apply -f manifests/
