#!/usr/bin/env bash
# Vigil side by side with Postfix and Dovecot on this machine, in one run (issue 7).
#
#   bench/run.sh                 every workload at full size (about 30-60 minutes on 2 cores)
#   bench/run.sh --quick         every workload at a tiny size (a smoke run of the harness)
#   bench/run.sh --only smtp-4k,idle
#   bench/run.sh --no-install    skip the apt-get step
#
# Installs the Debian packages it needs, builds Vigil in Release, sets up a private Postfix and a
# private Dovecot (own config and queue directories under $BENCH_TMP, loopback high ports; the
# system's /etc/postfix and /etc/dovecot are not touched), runs each workload against each server
# in turn, and prints a table with Vigil's ratio to the other server. Results: $BENCH_TMP/results.tsv
# and $BENCH_TMP/results.md. Workloads: smtp-4k smtp-mix imap fetch-envelope idle.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
export BENCH_TMP="${BENCH_TMP:-/tmp/vigil-bench}"
BENCH_APP="$BENCH_TMP/app"
ALL="smtp-4k smtp-mix imap fetch-envelope idle"
ONLY="$ALL"
QUICK=0
INSTALL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY="${2//,/ }"; shift ;;
    --no-install) INSTALL=0 ;;
    *) echo "usage: bench/run.sh [--quick] [--only WORKLOAD,...] [--no-install]  (workloads: $ALL)" >&2; exit 2 ;;
  esac
  shift
done

source bench/lib/common.sh
source bench/lib/postfix.sh
source bench/lib/dovecot.sh
source bench/lib/vigil.sh
source bench/lib/workloads.sh

# Every server and client of the run gets this priority (see boost_session): on a machine others
# share, their builds would otherwise take CPU from whichever server is being measured; raised
# for all alike, the comparison stays fair.
if [ "$(id -u)" = 0 ]; then renice -n -10 -p $$ >/dev/null; fi
boost_session $$

# Sizes: the issue's figures, or a tiny smoke run.
if [ "$QUICK" = 1 ]; then
  SMTP_4K_MESSAGES=50; SMTP_MIX_MESSAGES=50; IMAP_USERS=10; IMAP_FILL=20; IMAP_SECONDS=5
  FETCH_MESSAGES=500; IDLE_CONNECTIONS=50; IDLE_USERS=10; WARM_MESSAGES=20; WARM_SECONDS=2
else
  SMTP_4K_MESSAGES=5000; SMTP_MIX_MESSAGES=2000; IMAP_USERS=100; IMAP_FILL=100; IMAP_SECONDS=30
  FETCH_MESSAGES=100000; IDLE_CONNECTIONS=10000; IDLE_USERS=1000; WARM_MESSAGES=1000; WARM_SECONDS=15
fi
PASSWORD="bench-password-1"

if [ "$INSTALL" = 1 ]; then
  log "installing Debian packages (postfix, dovecot-imapd, sqlite3)"
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null || true
  dpkg -s postfix dovecot-imapd sqlite3 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends postfix dovecot-imapd sqlite3 >/dev/null; }
fi
# The distribution's own instances are not used; make sure they do not hold our ports.
command -v smtp-source >/dev/null || die "smtp-source (package postfix) is missing"

log "building Vigil and the load generator (Release)"
dotnet publish src/Vigil.Host -c Release -o "$BENCH_APP/vigil" -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet publish bench/Vigil.Bench -c Release -o "$BENCH_APP/bench" -nologo -v q -clp:ErrorsOnly >/dev/null

RESULTS="$BENCH_TMP/results.tsv"
: > "$RESULTS"
: > "$BENCH_TMP/vigil.log"
rm -f "$BENCH_TMP/durability-settings.txt"  # written by the SMTP workloads; a stale one would describe another build
cleanup() { vigil_stop; dovecot_stop; pf_stop_quiet; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"
# Dovecot's IDLE uses one inotify instance per idling process; the default 128 is far too few for
# the IDLE workload (Dovecot's own advice for many IDLE clients is to raise it).
if [ "$(sysctl -n fs.inotify.max_user_instances 2>/dev/null || echo 0)" -lt 8192 ]; then
  sysctl -q -w fs.inotify.max_user_instances=8192 2>/dev/null && log "raised fs.inotify.max_user_instances to 8192" || log "could not raise fs.inotify.max_user_instances"
fi

describe_machine > "$BENCH_TMP/machine.txt"
START_DATE=$(date -u +%Y-%m-%dT%H:%MZ)
for w in $ONLY; do
  case "$w" in
    smtp-4k) workload_smtp_4k ;;
    smtp-mix) workload_smtp_mix ;;
    imap) workload_imap ;;
    fetch-envelope) workload_fetch ;;
    idle) workload_idle ;;
    *) die "unknown workload $w (known: $ALL)" ;;
  esac
done

{
  echo "Run $START_DATE to $(date -u +%Y-%m-%dT%H:%MZ): bench/run.sh $([ "$QUICK" = 1 ] && echo --quick) --only ${ONLY// /,}"
  echo
  cat "$BENCH_TMP/machine.txt"
  echo
  cat "$BENCH_TMP/durability-settings.txt" 2>/dev/null || true
  echo
  bench_tool report --results "$RESULTS"
} | tee "$BENCH_TMP/results.md"
