#!/bin/sh
# Debian's Chromium for tests/contract/test_reference_page.py, installed when missing
# (`apt-get update` first). CHROMIUM names another Chromium-based browser to use instead.
# It never stops `make test`: without a browser that test fails and says why.
set -u
if [ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "Chromium is missing and cannot be installed without root; the browser test will fail." >&2
    exit 0
fi
echo "Installing Debian's chromium for the reference page's browser test..."
if ! { $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >/dev/null; then
    echo "apt-get could not install chromium; the browser test will fail." >&2
fi
exit 0
