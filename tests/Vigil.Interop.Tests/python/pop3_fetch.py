"""Fetches a whole maildrop with Python's poplib. Usage:
pop3_fetch.py HOST PORT MODE(plain|stls|ssl) USER PASSWORD OUTDIR [DELETE]
Writes OUTDIR/capa.txt, OUTDIR/stat.txt ("count octets"), OUTDIR/list.txt and OUTDIR/uidl.txt
("number value" lines), and each message as OUTDIR/msg/<uidl> (its lines joined by CRLF, with a
final CRLF, i.e. exactly the octets the server sent once the dot-stuffing is removed).
With DELETE = "dele", every message is marked deleted before QUIT."""
import os, poplib, ssl, sys

host, port, mode, user, password, out = sys.argv[1:7]
dele = len(sys.argv) > 7 and sys.argv[7] == "dele"
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE

if mode == "ssl":
    p = poplib.POP3_SSL(host, int(port), context=ctx, timeout=60)
else:
    p = poplib.POP3(host, int(port), timeout=60)
    if mode == "stls":
        p.stls(context=ctx)
os.makedirs(os.path.join(out, "msg"), exist_ok=True)
with open(os.path.join(out, "capa.txt"), "w") as f:
    for k, v in p.capa().items():
        f.write(" ".join([k] + v) + "\n")
p.user(user)
p.pass_(password)
count, octets = p.stat()
with open(os.path.join(out, "stat.txt"), "w") as f:
    f.write(f"{count} {octets}\n")
_, listing, _ = p.list()
with open(os.path.join(out, "list.txt"), "wb") as f:
    f.write(b"\n".join(listing) + b"\n")
_, uidls, _ = p.uidl()
with open(os.path.join(out, "uidl.txt"), "wb") as f:
    f.write(b"\n".join(uidls) + b"\n")
for entry in uidls:
    num, uid = entry.split(b" ")
    _, lines, _ = p.retr(int(num))
    with open(os.path.join(out, "msg", uid.decode()), "wb") as f:
        f.write(b"\r\n".join(lines) + b"\r\n")
    if dele:
        p.dele(int(num))
print(p.quit().decode())
