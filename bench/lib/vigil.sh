# Vigil (Release build) on its embedded store, in a data directory under $BENCH_TMP, every
# listener on loopback with ports offset by $VG_OFFSET (SMTP 22025, IMAP 22143, ...; below the ephemeral range, clear of ports others use here).
# Sourced by bench/run.sh; expects lib/common.sh. $BENCH_APP holds the published vigil and
# vigil-bench binaries.

VG_DIR="$BENCH_TMP/vigil"
VG_OFFSET="${VG_OFFSET:-22000}"
VG_SMTP=$(( 25 + VG_OFFSET ))
VG_IMAP=$(( 143 + VG_OFFSET ))
VG_PID=""

vigil() { "$BENCH_APP/vigil/vigil" "$@"; }
# The load generator runs its socket continuations on the socket thread: it does no blocking work
# there, and without it the .NET thread pool's hand-offs cost it 0.6 of this machine's 2 cores at
# 10 IMAP clients (240,000 context switches/s), CPU that the server under test then lacked.
bench_tool() { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "$BENCH_APP/bench/vigil-bench" "$@"; }

# vigil_setup PROVISION-ARGS...: a fresh data directory with the bench domain and accounts.
vigil_setup() {
  vigil_stop
  rm -rf "$VG_DIR"
  vigil init --data "$VG_DIR" --hostname vigil.bench.test --bind 127.0.0.1 --port-offset "$VG_OFFSET" >/dev/null
  # The other servers here check no SPF/DKIM/DMARC, and this machine has no DNS: without this every
  # message would wait for resolver timeouts. Edited by hand, so accepted as Vigil's own config.
  jq '.mailAuth.enabled = false' "$VG_DIR/vigil.json" > "$VG_DIR/vigil.json.new" && mv "$VG_DIR/vigil.json.new" "$VG_DIR/vigil.json"
  vigil integrity accept-config --data "$VG_DIR" >/dev/null
  bench_tool provision --data "$VG_DIR" --domain bench.test "$@"
}

vigil_start() {
  port_free "$VG_SMTP"
  # vigil serve refuses root unless told; the bench machine runs as root, like Dovecot's and Postfix's masters.
  local root_flag=""; [ "$(id -u)" = 0 ] && root_flag="--allow-root"
  # A session of its own, as Postfix's and Dovecot's masters make for themselves (see boost_session).
  ( ulimit -n "$(ulimit -Hn)"; exec setsid "$BENCH_APP/vigil/vigil" serve --data "$VG_DIR" $root_flag >> "$BENCH_TMP/vigil.log" 2>&1 ) &
  VG_PID=$!
  # Ready when run/status.json names this process (someone else may hold the port).
  local deadline=$(( $(date +%s) + 60 ))
  until [ "$(jq -r .pid "$VG_DIR/run/status.json" 2>/dev/null)" = "$VG_PID" ]; do
    kill -0 "$VG_PID" 2>/dev/null || die "vigil serve exited; see $BENCH_TMP/vigil.log"
    [ "$(date +%s)" -lt "$deadline" ] || die "vigil serve did not start within 60 s"
    sleep 0.2
  done
  boost_session "$VG_PID"
}

vigil_stop() {
  [ -n "$VG_PID" ] || return 0
  kill -TERM "$VG_PID" 2>/dev/null
  local i
  for i in $(seq 1 100); do kill -0 "$VG_PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$VG_PID" 2>/dev/null || true
  wait "$VG_PID" 2>/dev/null || true
  VG_PID=""
}

vigil_pids() { [ -n "$VG_PID" ] && echo "$VG_PID"; }

vigil_has_imap() { jq -e '.listeners[] | select(.name == "imap")' "$VG_DIR/run/status.json" >/dev/null 2>&1; }

# Messages stored for one local part (read-only query on the WAL database).
vigil_count() {
  sqlite3 -readonly "$VG_DIR/vigil.db" \
    "SELECT count(*) FROM messages m JOIN accounts a ON a.id = m.account_id WHERE a.local_part = '$1'" 2>/dev/null || echo 0
}

# vigil_wait_indexed: waits (at most 30 minutes) until the full-text index has taken in every
# stored message. Vigil indexes text after the 250, in the background (docs/imap.md); a fill
# waits for it so that the measurement after it does not share the CPU with that indexing.
# Returns at once against a build without the queue (no table fts_pending).
vigil_wait_indexed() {
  local deadline=$(( $(date +%s) + 1800 )) n
  while n=$(sqlite3 -readonly "$VG_DIR/vigil.db" "SELECT count(*) FROM fts_pending" 2>/dev/null) && [ "$n" != 0 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "the full-text index still has $n message(s) queued after 30 minutes"; return 0; }
    sleep 0.5
  done
}

# vigil_index_after WORKLOAD N CPU0: after a measured SMTP run, how long the deferred full-text
# indexing of its messages takes, and the server CPU per message with it included.
vigil_index_after() {
  local start
  start=$(now_ms)
  vigil_wait_indexed
  result "$1" vigil index-after "$(secs_since "$start")" s "full-text indexing still queued when the last message was stored, done after it (docs/imap.md)"
  result "$1" vigil cpu-per-message-indexed "$(cpu_ms_per "$2" $(( $(cpu_ticks "$VG_PID") - $3 )))" ms "server CPU (user+system) including that indexing"
}

vigil_describe_durability() {
  echo "$(vigil version 2>/dev/null | head -1 | sed "s/^vigil/Vigil/"): a 250 is sent after the message row (and a body up to 32 KB with it) is committed and the WAL fsync'd (group commit; a larger body is first fsync'd as its own file, then its directory); inbound SPF/DKIM/DMARC checks off, as on the Postfix here"
}
