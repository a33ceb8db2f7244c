# The workloads of bench/run.sh, one function each. Each one sets up fresh server instances, runs
# the same load against each server in turn, and appends figures to $RESULTS.

durability_note() {
  {
    echo "Durability settings:"
    echo "- $(postfix_describe_durability)"
    echo "- $(dovecot_describe_durability)"
    echo "- $(vigil_describe_durability)"
  } > "$BENCH_TMP/durability-settings.txt"
}

# SMTP inbound, Postfix's smtp-source: 20 sessions, 4 KB bodies, one message per connection, to one
# local mailbox. The figure is messages per second until every message is stored: for Postfix
# until the Maildir holds all files (not when smtpd queued them); for Vigil a 250 already means
# stored, and the count is read from its database.
workload_smtp_4k() {
  local n=$SMTP_4K_MESSAGES ms
  log "smtp-4k: $n messages, 20 sessions, smtp-source"
  postfix_setup "bench warm"
  postfix_start
  warm_up "$PF_PORT"
  durability_note
  sync
  local cpu0 fl0
  cpu0=$(cpu_ticks $(postfix_pids)); fl0=$(disk_flushes)
  START_MS=$(now_ms)
  smtp-source -s 20 -m "$n" -l 4096 -f load@remote.test -t bench@bench.test "127.0.0.1:$PF_PORT"
  result smtp-4k postfix client-time "$(secs_since "$START_MS")" s "smtp-source finished (queued, not yet delivered)"
  ms=$(wait_count postfix_count "$n" 900 bench) || ms=""
  result smtp-4k postfix cpu-per-message "$(cpu_ms_per "$n" $(( $(cpu_ticks $(postfix_pids)) - cpu0 )))" ms "server CPU (user+system, all Postfix processes)"
  result smtp-4k postfix flushes-per-message "$(per_message "$n" $(( $(disk_flushes) - fl0 )))" flushes "disk cache flushes during the run (whole device)"
  postfix_stop
  [ -n "$ms" ] && result smtp-4k postfix stored "$(rate "$n" "$ms")" msgs/s "$n stored in ${ms} ms"

  vigil_setup --names bench,warm --password "$PASSWORD"
  vigil_start
  warm_up "$VG_SMTP"
  vigil_wait_indexed
  sync
  cpu0=$(cpu_ticks "$VG_PID"); fl0=$(disk_flushes)
  START_MS=$(now_ms)
  smtp-source -s 20 -m "$n" -l 4096 -f load@remote.test -t bench@bench.test "127.0.0.1:$VG_SMTP"
  result smtp-4k vigil client-time "$(secs_since "$START_MS")" s "smtp-source finished (every 250 means stored)"
  ms=$(wait_count vigil_count "$n" 900 bench) || ms=""
  result smtp-4k vigil cpu-per-message "$(cpu_ms_per "$n" $(( $(cpu_ticks "$VG_PID") - cpu0 )))" ms "server CPU (user+system)"
  result smtp-4k vigil flushes-per-message "$(per_message "$n" $(( $(disk_flushes) - fl0 )))" flushes "disk cache flushes during the run (whole device)"
  vigil_index_after smtp-4k "$n" "$cpu0"
  vigil_stop
  [ -n "$ms" ] && result smtp-4k vigil stored "$(rate "$n" "$ms")" msgs/s "$n stored in ${ms} ms"
}

# SMTP with realistic sizes (2 KB to 2 MB) over 100 sessions, with per-transaction latency.
workload_smtp_mix() {
  local n=$SMTP_MIX_MESSAGES ms
  log "smtp-mix: $n messages, 100 sessions, sizes 2 KB-2 MB"
  postfix_setup "bench warm"
  postfix_start
  warm_up "$PF_PORT"
  sync
  local cpu0 fl0
  cpu0=$(cpu_ticks $(postfix_pids)); fl0=$(disk_flushes)
  START_MS=$(now_ms)
  bench_tool smtp --server "127.0.0.1:$PF_PORT" --sessions 100 --messages "$n" --sizes mix --to bench@bench.test \
    --results "$RESULTS" --workload smtp-mix --server-name postfix || true
  ms=$(wait_count postfix_count "$n" 900 bench) || ms=""
  result smtp-mix postfix cpu-per-message "$(cpu_ms_per "$n" $(( $(cpu_ticks $(postfix_pids)) - cpu0 )))" ms "server CPU (user+system, all Postfix processes)"
  result smtp-mix postfix flushes-per-message "$(per_message "$n" $(( $(disk_flushes) - fl0 )))" flushes "disk cache flushes during the run (whole device)"
  postfix_stop
  [ -n "$ms" ] && result smtp-mix postfix stored "$(rate "$n" "$ms")" msgs/s "$n stored in ${ms} ms"

  vigil_setup --names bench,warm --password "$PASSWORD"
  vigil_start
  warm_up "$VG_SMTP"
  vigil_wait_indexed
  sync
  cpu0=$(cpu_ticks "$VG_PID"); fl0=$(disk_flushes)
  START_MS=$(now_ms)
  bench_tool smtp --server "127.0.0.1:$VG_SMTP" --sessions 100 --messages "$n" --sizes mix --to bench@bench.test \
    --results "$RESULTS" --workload smtp-mix --server-name vigil || true
  ms=$(wait_count vigil_count "$n" 900 bench) || ms=""
  result smtp-mix vigil cpu-per-message "$(cpu_ms_per "$n" $(( $(cpu_ticks "$VG_PID") - cpu0 )))" ms "server CPU (user+system)"
  result smtp-mix vigil flushes-per-message "$(per_message "$n" $(( $(disk_flushes) - fl0 )))" flushes "disk cache flushes during the run (whole device)"
  vigil_index_after smtp-mix "$n" "$cpu0"
  vigil_stop
  [ -n "$ms" ] && result smtp-mix vigil stored "$(rate "$n" "$ms")" msgs/s "$n stored in ${ms} ms"
}

# secs_since MS: seconds since a now_ms value.
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.2f", (b - a) / 1000 }'; }

# warm_up PORT: 1,000 messages (the realistic size mix) to another mailbox before a measured SMTP
# run, on every server alike, so the figures are steady state (Postfix's processes started, Vigil's
# code compiled by the JIT).
warm_up() {
  bench_tool smtp --server "127.0.0.1:$1" --sessions 20 --messages "$WARM_MESSAGES" --sizes mix --to warm@bench.test --id-prefix w >/dev/null 2>&1 \
    || log "warm-up on port $1 failed"
}

# rate COUNT MILLISECONDS: per second, two decimals.
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.2f", n * 1000 / ms }'; }

# Accounts user0..userN-1 on both sides, same password hash; Dovecot's Maildirs written directly,
# Vigil's INBOXes filled over SMTP (not measured).
imap_setup() {
  local users=$1 fill=$2 argon=$3 u
  local names=""
  for u in $(seq 0 $(( users - 1 ))); do names="$names user$u"; done
  postfix_setup "$names"
  dovecot_setup
  vigil_setup --users "user:$users" --password "$PASSWORD" --argon2 "$argon" --dovecot-passwd "$DV_DIR/passwd"
  if [ "$fill" -gt 0 ]; then
    log "filling $users Maildirs with $fill messages each"
    for u in $(seq 0 $(( users - 1 ))); do
      bench_tool maildir --dir "$PF_MAIL/user$u/Maildir" --user "user$u@bench.test" --count "$fill" --sizes mix --id-prefix "f$u-"
    done
    chown -R "$PF_UID:$PF_UID" "$PF_MAIL"
    log "filling $users Vigil INBOXes with $fill messages each over SMTP"
    vigil_start
    local to
    to=$(seq 0 $(( users - 1 )) | sed 's/.*/user&@bench.test/' | paste -sd,)
    bench_tool smtp --server "127.0.0.1:$VG_SMTP" --sessions 20 --messages $(( users * fill )) --sizes mix --to "$to" --id-prefix f >/dev/null
    vigil_wait_indexed
    vigil_stop
  fi
}

# imap_warm_up PORT: a few seconds of the same load, not measured (processes started, code compiled).
imap_warm_up() {
  bench_tool imap --server "127.0.0.1:$1" --clients 10 --users "$IMAP_USERS" --password "$PASSWORD" --duration "$WARM_SECONDS" >/dev/null 2>&1 || true
}

# The IMAP load generator at 10 and 100 clients, each client its own account.
workload_imap() {
  log "imap: $IMAP_USERS accounts x $IMAP_FILL messages; 10 and $IMAP_USERS clients for $IMAP_SECONDS s"
  imap_setup "$IMAP_USERS" "$IMAP_FILL" 19456,2
  local clients
  dovecot_start
  imap_warm_up "$DV_PORT"
  for clients in 10 "$IMAP_USERS"; do
    bench_tool imap --server "127.0.0.1:$DV_PORT" --clients "$clients" --users "$IMAP_USERS" --password "$PASSWORD" \
      --duration "$IMAP_SECONDS" --results "$RESULTS" --workload "imap-$clients" --server-name dovecot || true
  done
  dovecot_stop
  vigil_start
  if vigil_has_imap; then
    imap_warm_up "$VG_IMAP"
    for clients in 10 "$IMAP_USERS"; do
      bench_tool imap --server "127.0.0.1:$VG_IMAP" --clients "$clients" --users "$IMAP_USERS" --password "$PASSWORD" \
        --duration "$IMAP_SECONDS" --results "$RESULTS" --workload "imap-$clients" --server-name vigil || true
    done
  else
    result "imap-10" vigil commands/s n/a cmd/s "Vigil has no IMAP listener in this build"
  fi
  vigil_stop
}

# FETCH 1:* (ENVELOPE) over one mailbox of $FETCH_MESSAGES messages: time (cold, then warm) and the
# server's peak memory (PSS, all processes of the server) while it runs.
workload_fetch() {
  log "fetch-envelope: one mailbox of $FETCH_MESSAGES messages"
  postfix_setup "big"
  dovecot_setup
  vigil_setup --names big --password "$PASSWORD" --dovecot-passwd "$DV_DIR/passwd"
  bench_tool maildir --dir "$PF_MAIL/big/Maildir" --user big@bench.test --count "$FETCH_MESSAGES" --sizes 4096 --id-prefix big
  chown -R "$PF_UID:$PF_UID" "$PF_MAIL"
  dovecot_start
  fetch_measure dovecot "$DV_PORT" dovecot_pids
  dovecot_stop

  vigil_start
  if vigil_has_imap; then
    log "filling Vigil with $FETCH_MESSAGES messages over SMTP"
    bench_tool smtp --server "127.0.0.1:$VG_SMTP" --sessions 20 --messages "$FETCH_MESSAGES" --sizes 4096 --to big@bench.test --id-prefix big --time-limit 3600 >/dev/null
    vigil_wait_indexed
    vigil_stop
    vigil_start  # measure from a fresh process, not one that just took 100,000 deliveries
    fetch_measure vigil "$VG_IMAP" vigil_pids
  else
    result fetch-envelope vigil fetch-cold n/a ms "Vigil has no IMAP listener in this build"
  fi
  vigil_stop
}

fetch_measure() {
  local name=$1 port=$2 pids=$3 out="$BENCH_TMP/mem-$1-fetch"
  local before
  # shellcheck disable=SC2046
  before=$(pss_kb $("$pids"))
  mem_sample "$pids" "$out" 900 &
  local sampler=$!
  bench_tool fetch --server "127.0.0.1:$port" --user big@bench.test --password "$PASSWORD" --passes 2 \
    --results "$RESULTS" --workload fetch-envelope --server-name "$name" || true
  touch "$out.stop"; wait "$sampler" 2>/dev/null || true
  result fetch-envelope "$name" memory-peak "$(( $(cat "$out" 2>/dev/null || echo 0) / 1024 ))" MB "PSS of all server processes; $(( before / 1024 )) MB before"
}

# IDLE_CONNECTIONS authenticated IDLE connections from 50 loopback source addresses, then one
# message by SMTP to an idling user: server memory with everything open, and the time to EXISTS.
# Passwords here use a cheap Argon2id cost (64 KiB, 1 pass) on both servers: this measures
# connections, not 10,000 password hashes.
workload_idle() {
  log "idle: $IDLE_CONNECTIONS IDLE connections over $IDLE_USERS accounts"
  imap_setup "$IDLE_USERS" 0 64,1
  for u in $(seq 0 $(( IDLE_USERS - 1 ))); do mkdir -p "$PF_MAIL/user$u/Maildir/"{cur,new,tmp}; done
  chown -R "$PF_UID:$PF_UID" "$PF_MAIL"
  postfix_start
  dovecot_start
  idle_measure dovecot "$DV_PORT" "$PF_PORT" dovecot_pids
  dovecot_stop
  postfix_stop
  vigil_start
  if vigil_has_imap; then
    idle_measure vigil "$VG_IMAP" "$VG_SMTP" vigil_pids
  else
    result idle vigil memory n/a MB "Vigil has no IMAP listener in this build"
  fi
  vigil_stop
}

idle_measure() {
  local name=$1 port=$2 smtp=$3 pids=$4 ready="$BENCH_TMP/idle-ready" release="$BENCH_TMP/idle-release"
  rm -f "$ready" "$release"
  local before
  # shellcheck disable=SC2046
  before=$(pss_kb $("$pids"))
  bench_tool idle --server "127.0.0.1:$port" --connections "$IDLE_CONNECTIONS" --users "$IDLE_USERS" --password "$PASSWORD" \
    --sources 127.0.0.2-127.0.0.51 --notify-smtp "127.0.0.1:$smtp" --ready-file "$ready" --release-file "$release" --hold 600 \
    --results "$RESULTS" --workload idle --server-name "$name" &
  local client=$!
  local deadline=$(( $(date +%s) + 1800 ))
  while [ ! -f "$ready" ] && kill -0 "$client" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 1; done
  sleep 5  # let hibernation and GC settle
  # shellcheck disable=SC2046
  local pss rss procs
  pss=$(pss_kb $("$pids")); rss=$(rss_kb $("$pids")); procs=$("$pids" | wc -l)
  result idle "$name" memory "$(( pss / 1024 ))" MB "PSS over $procs process(es) with $(cat "$ready" 2>/dev/null || echo 0) connections idling; RSS sum $(( rss / 1024 )) MB; $(( before / 1024 )) MB before"
  touch "$release"
  wait "$client" || true
}
