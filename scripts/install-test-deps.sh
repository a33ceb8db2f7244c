#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when some are missing (fast on a warm machine).
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
# An S3-compatible server for the backup target tests; not in Debian, so from npm.
s3_server() {
  command -v s3rver >/dev/null && return 0
  command -v npm >/dev/null || $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
  $SUDO npm install -g --no-audit --no-fund s3rver@3.7.1 >/dev/null
}
mapfile -t pkgs < <(grep -vE '^\s*(#|$)' test-packages.txt)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { s3_server; exit 0; }
echo "installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix asks how to configure itself; the tests start their own instances with their own config.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
s3_server
