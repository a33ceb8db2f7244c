#!/usr/bin/env bash
# Durability under load (issue 7): runs the SMTP workload (20 sessions, sizes 2 KB-2 MB) against
# `vigil serve`, SIGKILLs it at a random moment, restarts it on the same data, and compares every
# 250 the clients received with what the store holds. 20 rounds by default; ends with
# "N lost, N duplicated, N corrupt" over all rounds and exits non-zero unless all three are 0.
#
#   bench/durability.sh [--rounds N] [--seed N]
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_TMP="${BENCH_TMP:-/tmp/vigil-bench}"
BENCH_APP="$BENCH_TMP/app"
ROUNDS=20
SEED=$(( RANDOM * 32768 + RANDOM ))
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    *) echo "usage: bench/durability.sh [--rounds N] [--seed N]" >&2; exit 2 ;;
  esac
  shift
done
source bench/lib/common.sh
source bench/lib/vigil.sh

log "building Vigil and the load generator (Release)"
dotnet publish src/Vigil.Host -c Release -o "$BENCH_APP/vigil" -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet publish bench/Vigil.Bench -c Release -o "$BENCH_APP/bench" -nologo -v q -clp:ErrorsOnly >/dev/null

VG_DIR="$BENCH_TMP/durability/vigil"
rm -rf "$BENCH_TMP/durability"
mkdir -p "$BENCH_TMP/durability"
vigil_setup --names bench --password "bench-password-1"
log "durability: $ROUNDS rounds, seed $SEED"
bench_tool durability --vigil "$BENCH_APP/vigil/vigil" --data "$VG_DIR" --rounds "$ROUNDS" --seed "$SEED" | tee "$BENCH_TMP/durability.txt"
