#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when some are missing (fast on a warm machine).
set -euo pipefail
cd "$(dirname "$0")"
mapfile -t pkgs < <(grep -vE '^\s*(#|$)' test-packages.txt)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
# Postfix asks how to configure itself; the tests start their own instances with their own config.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
