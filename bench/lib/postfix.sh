# Postfix as a private instance: its own config_directory and queue_directory under $BENCH_TMP,
# smtpd on loopback only, virtual(8) delivery to Maildir. The system's /etc/postfix is never read
# for this instance's settings and never written.
# Sourced by bench/run.sh; expects lib/common.sh.

PF_DIR="$BENCH_TMP/postfix"
PF_PORT="${PF_PORT:-23025}"
PF_MAIL="$PF_DIR/mail"          # virtual_mailbox_base: one Maildir per recipient below it
PF_UID=65534                     # deliveries are written as nobody:nogroup

postfix_setup() {
  local users="$1"   # space-separated local parts
  pf_stop_quiet
  rm -rf "$PF_DIR"
  mkdir -p "$PF_DIR/etc" "$PF_DIR/queue" "$PF_DIR/data" "$PF_MAIL"
  chown "$PF_UID:$PF_UID" "$PF_MAIL"
  chown postfix "$PF_DIR/data"
  cat > "$PF_DIR/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF_DIR/queue
data_directory = $PF_DIR/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-bench
maillog_file = $PF_DIR/postfix.log
maillog_file_prefixes = $PF_DIR
myhostname = postfix.bench.test
mydomain = bench.test
myorigin = \$myhostname
mydestination =
relayhost =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP
biff = no
append_dot_mydomain = no
readme_directory = no
message_size_limit = 52428800
virtual_mailbox_limit = 0
virtual_mailbox_domains = bench.test
virtual_mailbox_base = $PF_MAIL
virtual_mailbox_maps = texthash:$PF_DIR/etc/vmailbox
virtual_uid_maps = static:$PF_UID
virtual_gid_maps = static:$PF_UID
virtual_minimum_uid = 100
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = reject_unlisted_recipient
smtputf8_enable = no
CF
  : > "$PF_DIR/etc/vmailbox"
  local u
  for u in $users; do echo "$u@bench.test $u/Maildir/" >> "$PF_DIR/etc/vmailbox"; done
  # Debian's master.cf minus the chroot (a chroot needs copies of /etc files) and with smtpd on
  # a loopback high port instead of 25.
  cat > "$PF_DIR/etc/master.cf" <<CF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
  # postfix writes its fatal errors only to a tty or syslog: give it a tty so they are seen
  script -qec "postfix -c $PF_DIR/etc check" /dev/null >&2
}

postfix_start() {
  port_free "$PF_PORT"
  script -qec "postfix -c $PF_DIR/etc start" /dev/null >&2 || return 1
  wait_port 127.0.0.1 "$PF_PORT" 30
  boost_session "$(head -1 "$PF_DIR/queue/pid/master.pid" | tr -d ' ')"
}

pf_stop_quiet() {
  if [ -f "$PF_DIR/etc/main.cf" ]; then postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1 || true; fi
}
postfix_stop() { pf_stop_quiet; sleep 1; }

# Processes of this instance (master and its children), for memory figures.
postfix_pids() {
  local master
  master=$(head -1 "$PF_DIR/queue/pid/master.pid" 2>/dev/null | tr -d ' ')
  [ -n "$master" ] && { echo "$master"; pgrep -P "$master"; }
}

# Files delivered to one recipient's Maildir (new/ and cur/).
postfix_count() { count_maildir "$PF_MAIL/$1/Maildir"; }

postfix_describe_durability() {
  echo "Postfix $(postconf -c "$PF_DIR/etc" -h mail_version): cleanup(8) fsyncs the queue file before smtpd answers 250; virtual(8) fsyncs each Maildir file before its rename into new/ (Postfix has no switch to turn either off)"
}
