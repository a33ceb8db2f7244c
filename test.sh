#!/usr/bin/env bash
# The whole test suite: installs missing test dependencies, builds once, runs every test project,
# and ends with one line "N passed, N failed" summed over all of them.
set -uo pipefail
cd "$(dirname "$0")"
./scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
if ! dotnet build Vigil.slnx -nologo -v q -clp:ErrorsOnly; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi
rm -rf TestResults
dotnet test Vigil.slnx --no-build -nologo -v q --logger "trx" --results-directory TestResults "$@"
python3 - <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = 0
for f in glob.glob("TestResults/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
if passed == 0 and failed == 0:
    failed = 1  # a run that executed no test is a failure
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
