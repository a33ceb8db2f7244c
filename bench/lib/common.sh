# Helpers shared by the bench scripts. Every wait is bounded.

BENCH_TMP="${BENCH_TMP:-/tmp/vigil-bench}"
mkdir -p "$BENCH_TMP"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

now_ms() { date +%s%3N; }

# wait_port HOST PORT SECONDS: until something accepts on HOST:PORT.
wait_port() {
  local deadline=$(( $(date +%s) + $3 ))
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    [ "$(date +%s)" -ge "$deadline" ] && { log "nothing listens on $1:$2 after $3 s"; return 1; }
    sleep 0.2
  done
}

# count_maildir DIR: number of messages in a Maildir's new/ and cur/.
count_maildir() {
  local n=0 d
  for d in "$1/new" "$1/cur"; do
    [ -d "$d" ] && n=$(( n + $(find "$d" -maxdepth 1 -type f | wc -l) ))
  done
  echo "$n"
}

# wait_count FUNC TARGET SECONDS ARGS...: polls FUNC ARGS every 100 ms until it prints >= TARGET;
# prints the elapsed milliseconds since $START_MS, or fails after SECONDS.
wait_count() {
  local fn="$1" target="$2" limit="$3"; shift 3
  local deadline=$(( $(date +%s) + limit )) n
  while :; do
    n=$("$fn" "$@")
    [ "$n" -ge "$target" ] && { echo $(( $(now_ms) - START_MS )); return 0; }
    [ "$(date +%s)" -ge "$deadline" ] && { log "only $n of $target stored after $limit s"; return 1; }
    sleep 0.1
  done
}

# proc_kb FILE FIELD PIDS...: FIELD (kB) of /proc/PID/FILE, summed over the pids.
proc_kb() {
  local file=$1 field=$2 total=0 pid v
  shift 2
  for pid in "$@"; do
    v=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$pid/$file" 2>/dev/null)
    total=$(( total + ${v:-0} ))
  done
  echo "$total"
}

# Proportional set size: shared pages are split between the processes that map them, so a
# multi-process server is not counted several times over.
pss_kb() { proc_kb smaps_rollup Pss "$@"; }
rss_kb() { proc_kb status VmRSS "$@"; }

# result WORKLOAD SERVER METRIC VALUE UNIT [NOTE]: one line of the results file.
result() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" >> "$RESULTS"
  log "result: $1 / $2 / $3 = $4 $5 ${6:-}"
}

# mem_sample PIDS-FUNCTION OUT SECONDS: every 250 ms for at most SECONDS, the PSS (kB) summed over
# the processes PIDS-FUNCTION prints; writes the peak to OUT. Run in the background, stop by
# touching OUT.stop.
mem_sample() {
  local fn="$1" out="$2" limit="$3" peak=0 v
  local deadline=$(( $(date +%s) + limit ))
  rm -f "$out.stop"
  while [ ! -f "$out.stop" ] && [ "$(date +%s)" -lt "$deadline" ]; do
    # shellcheck disable=SC2046
    v=$(pss_kb $("$fn"))
    [ "$v" -gt "$peak" ] && peak=$v && echo "$peak" > "$out"
    sleep 0.25
  done
}

describe_machine() {
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $(uname -sr), root filesystem $(findmnt -no FSTYPE /) on $(findmnt -no SOURCE /)"
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other engineers' builds and tests share these cores)"
  echo "Priority of the run: nice $(ps -o ni= -p $$ | tr -d " "), scheduler autogroup nice $(awk '{print $3}' /proc/$$/autogroup) for this script and each server's session alike"
  echo ".NET $(dotnet --version), Postfix $(postconf -d -h mail_version 2>/dev/null || echo ?), Dovecot $(dovecot --version | cut -d' ' -f1)"
}

# port_free PORT: nothing listens on PORT (another engineer's server would skew or break a run).
port_free() { [ -z "$(ss -Hltn "sport = :$1")" ] || die "port $1 is already in use: $(ss -Hltnp "sport = :$1")"; }

# cpu_ticks PIDS...: user+system CPU of the processes and of their reaped children, in clock
# ticks (1/100 s). For Postfix the master's children come and go; the ones that exited are in the
# master's cutime/cstime, the live ones are counted directly.
cpu_ticks() {
  local total=0 pid v
  for pid in "$@"; do
    v=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null)
    total=$(( total + ${v:-0} ))
  done
  echo "$total"
}

# cpu_ms_per COUNT TICKS: milliseconds of server CPU per message.
cpu_ms_per() { awk -v n="$1" -v t="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t * 1000 / hz / n }'; }

# disk_flushes: flush requests completed so far by the block device that holds $BENCH_TMP
# (field 16 of /sys/class/block/DEV/stat, Linux 5.5+; partitions have one too). The difference over a run is how many cache
# flushes (fsync, journal commits) the servers cost the disk; 0 when the device has no such field.
disk_flushes() {
  local dev
  dev=$(basename "$(df --output=source "$BENCH_TMP" | tail -1)")
  awk '{ print ($16 == "" ? 0 : $16) }' "/sys/class/block/$dev/stat" 2>/dev/null || echo 0
}

# per_message COUNT TOTAL: TOTAL / COUNT, two decimals.
per_message() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.2f", t / n }'; }

# boost_session PID: gives the session of PID (its scheduler autogroup) the run's priority. Linux
# shares CPU between sessions first and applies nice only within a session, so on a machine where
# others build in sessions of their own, nice alone does not protect a measurement. Postfix's and
# Dovecot's masters daemonize into sessions of their own; vigil serve is started in one of its own
# (setsid), so the three servers are treated alike, and the load generators share this script's.
# Needs root; elsewhere it does nothing.
boost_session() { if [ "$(id -u)" = 0 ]; then echo -10 > "/proc/$1/autogroup" 2>/dev/null || true; fi; }
