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
exec dotnet src/Vigil.Host/bin/Debug/net10.0/vigil.dll serve
