#!/usr/bin/env bash
# Runs Vigil on the embedded store. First run: creates ./.vigil-data (or $VIGIL_DATA) for
# localhost with ports offset by 10000 (SMTP 10025, submission 10587, IMAP 10143, ...), so no root
# is needed. Then serves in the foreground until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"
export VIGIL_DATA="${VIGIL_DATA:-$PWD/.vigil-data}"
dotnet build src/Vigil.Host -nologo -v q -clp:ErrorsOnly
vigil() { dotnet src/Vigil.Host/bin/Debug/net10.0/vigil.dll "$@"; }
if [ ! -f "$VIGIL_DATA/vigil.json" ]; then
  vigil init --hostname "${VIGIL_HOSTNAME:-localhost}" --bind "${VIGIL_BIND:-127.0.0.1}" --port-offset "${VIGIL_PORT_OFFSET:-10000}"
fi
# vigil serve refuses to run as root; a trial run on high ports does not need it. Run this as a
# normal user, or (a container where everything is root) it says so and passes --allow-root.
if [ "$(id -u)" = 0 ]; then
  echo "run.sh: running as root, passing --allow-root (see docs/security.md)" >&2
  exec dotnet src/Vigil.Host/bin/Debug/net10.0/vigil.dll serve --allow-root
fi
exec dotnet src/Vigil.Host/bin/Debug/net10.0/vigil.dll serve
