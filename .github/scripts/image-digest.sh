#!/usr/bin/env bash
# The digest (sha256:…) of REPOSITORY:TAG in ECR. Exit status 3 when the image is not there,
# 1 with AWS's message for any other error (so a denied call never passes for "absent").
# Usage: image-digest.sh REPOSITORY_NAME TAG
set -euo pipefail

repository="${1:?usage: image-digest.sh REPOSITORY_NAME TAG}"
tag="${2:?usage: image-digest.sh REPOSITORY_NAME TAG}"
errors="$(mktemp)"
trap 'rm -f "${errors}"' EXIT

if digest="$(aws ecr describe-images --repository-name "${repository}" \
    --image-ids "imageTag=${tag}" --query 'imageDetails[0].imageDigest' --output text \
    2>"${errors}")"; then
  if ! [[ "${digest}" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "error: ECR answered '${digest}' as the digest of ${repository}:${tag}" >&2
    exit 1
  fi
  echo "${digest}"
  exit 0
fi
if grep -q "(ImageNotFoundException)" "${errors}"; then
  exit 3
fi
cat "${errors}" >&2
exit 1
