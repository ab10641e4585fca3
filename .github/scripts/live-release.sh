#!/usr/bin/env bash
# What the function serves now, for the deploy's decisions: prints `exists=`, `version=` and
# `image_uri=` lines (for $GITHUB_OUTPUT).
#   exists=false                  the function was not found (first deploy: phase 1 applies
#                                 without it)
#   exists=true, version=N        the live alias serves version N, image_uri its image by digest
#   exists=true, version=         the function exists without the live alias yet: image_uri
#                                 is what $LATEST runs
# Only "not found" (ResourceNotFoundException) means "not there": any other error (denied,
# throttled, network) fails, so that nothing is ever decided from a failed call.
# Usage: live-release.sh FUNCTION_NAME   (LIVE_ALIAS overrides the alias name, `live`)
set -euo pipefail

function_name="${1:?usage: live-release.sh FUNCTION_NAME}"
alias_name="${LIVE_ALIAS:-live}"
digest_pattern='@sha256:[0-9a-f]{64}$'
errors="$(mktemp)"
trap 'rm -f "${errors}"' EXIT

# Runs one AWS CLI call: its output on success; status 3 when AWS says the function (or
# alias) does not exist; status 1, with AWS's message, for anything else.
aws_lookup() {
  if aws "$@" 2>"${errors}"; then
    return 0
  fi
  if grep -q "(ResourceNotFoundException)" "${errors}"; then
    return 3
  fi
  cat "${errors}" >&2
  echo "error: aws $* failed; the deploy does not guess what the function runs" >&2
  return 1
}

status=0
release="$(aws_lookup lambda get-function --function-name "${function_name}" \
  --qualifier "${alias_name}" --query '[Configuration.Version, Code.ResolvedImageUri]' \
  --output text)" || status=$?
version=""
image_uri=""
if [ "${status}" -eq 0 ]; then
  read -r version image_uri <<<"${release}"
elif [ "${status}" -eq 3 ]; then
  status=0
  release="$(aws_lookup lambda get-function --function-name "${function_name}" \
    --query 'Code.ResolvedImageUri' --output text)" || status=$?
  if [ "${status}" -eq 3 ]; then
    echo "exists=false"
    echo "version="
    echo "image_uri="
    exit 0
  fi
  [ "${status}" -eq 0 ] || exit 1
  image_uri="${release}"
else
  exit 1
fi

if ! [[ "${image_uri}" =~ ${digest_pattern} ]]; then
  echo "error: ${function_name} runs '${image_uri}', not an image by digest" >&2
  exit 1
fi
echo "exists=true"
echo "version=${version}"
echo "image_uri=${image_uri}"
