#!/usr/bin/env bash
# The release's smoke test, through the API (which invokes the function's live alias, now on
# the new version): GET /health answers 200, GET /openapi.json serves the OpenAPI document, a
# private route answers 401 without a token and, when a smoke-test user is configured, that
# user logs in, reads GET /me with the access token, and is refused with the ID token.
# Any failure moves the live alias back to PREVIOUS_VERSION and fails.
#
# Environment: API_URL, FUNCTION_NAME, PREVIOUS_VERSION (empty on a first deploy: nothing
# to go back to), SMOKE_TEST_EMAIL and SMOKE_TEST_PASSWORD (optional, both or neither),
# LIVE_ALIAS (default live), SMOKE_ATTEMPTS (default 6) and SMOKE_RETRY_SECONDS (default 5)
# for the first call, while the new version starts.
set -euo pipefail

api_url="${API_URL:?API_URL is required}"
api_url="${api_url%/}"
function_name="${FUNCTION_NAME:?FUNCTION_NAME is required}"
previous_version="${PREVIOUS_VERSION:-}"
alias_name="${LIVE_ALIAS:-live}"
attempts="${SMOKE_ATTEMPTS:-6}"
retry_seconds="${SMOKE_RETRY_SECONDS:-5}"
body="$(mktemp)"
trap 'rm -f "${body}"' EXIT

roll_back() {
  echo "smoke test failed: $1" >&2
  if [ -z "${previous_version}" ]; then
    echo "no previous version to go back to (first release of ${function_name})" >&2
    exit 1
  fi
  echo "moving ${function_name}:${alias_name} back to version ${previous_version}" >&2
  if ! aws lambda update-alias --function-name "${function_name}" --name "${alias_name}" \
      --function-version "${previous_version}" >/dev/null; then
    echo "ROLLBACK FAILED: move the alias by hand (README \"Rolling back\")" >&2
  fi
  exit 1
}

# request METHOD PATH [curl options…]: prints the status code; the body is in ${body}.
request() {
  local method="$1" path="$2"
  shift 2
  curl --silent --show-error --max-time 15 --request "${method}" --output "${body}" \
    --write-out '%{http_code}' "$@" "${api_url}${path}" || echo "000"
}

expect() {
  local want="$1" got="$2" what="$3"
  if [ "${got}" != "${want}" ]; then
    roll_back "${what} answered ${got}, expected ${want}"
  fi
  echo "ok: ${what} answered ${got}"
}

status="000"
for ((attempt = 1; attempt <= attempts; attempt++)); do
  status="$(request GET /health)"
  [ "${status}" = "200" ] && break
  [ "${attempt}" -lt "${attempts}" ] && sleep "${retry_seconds}"
done
expect 200 "${status}" "GET /health"

expect 200 "$(request GET /openapi.json)" "GET /openapi.json"
if ! grep -q '"openapi"' "${body}"; then
  roll_back "GET /openapi.json did not serve an OpenAPI document"
fi

expect 401 "$(request GET /me)" "GET /me without a token"

if [ -z "${SMOKE_TEST_EMAIL:-}" ] || [ -z "${SMOKE_TEST_PASSWORD:-}" ]; then
  echo "no smoke-test user configured: the authenticated round trip is skipped"
  exit 0
fi

# The password goes through stdin, never on a command line.
login="$(python3 -c 'import json, os; print(json.dumps({"email": os.environ["SMOKE_TEST_EMAIL"], "password": os.environ["SMOKE_TEST_PASSWORD"]}))' \
  | request POST /auth/login --header 'Content-Type: application/json' --data-binary @-)"
expect 200 "${login}" "POST /auth/login (smoke-test user)"
read_token() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "${body}" "$1"
}
access_token="$(read_token accessToken)" || roll_back "the login answer has no accessToken"
id_token="$(read_token idToken)" || roll_back "the login answer has no idToken"
echo "::add-mask::${access_token}"
echo "::add-mask::${id_token}"

expect 200 "$(request GET /me --header "Authorization: Bearer ${access_token}")" \
  "GET /me with the access token"
id_status="$(request GET /me --header "Authorization: Bearer ${id_token}")"
if [ "${id_status}" != "401" ] && [ "${id_status}" != "403" ]; then
  roll_back "GET /me with an ID token answered ${id_status}; the gateway must refuse it"
fi
echo "ok: GET /me with an ID token answered ${id_status}"
