#!/usr/bin/env bash
set -euo pipefail
kubectl apply -f manifests/
