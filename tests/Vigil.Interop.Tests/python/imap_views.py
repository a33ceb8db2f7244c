"""Byte-exact message views through Python's imaplib, which hands back literals exactly as sent.
Usage: imap_views.py HOST PORT USER PASSWORD
Appends one multipart message, prints one JSON object mapping each FETCH item to the bytes the
server returned (latin-1 decoded), plus LSUB, CHECK and RENAME INBOX results."""
import imaplib, json, sys

host, port, user, password = sys.argv[1:5]
MESSAGE = (b"From: A <a@x.test>\r\nTo: b@y.test\r\nSubject: views\r\n"
           b"X-Long: first\r\n  folded\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
           b"--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n0123456789abcdefghij\r\n"
           b"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC/w==\r\n"
           b"--b--\r\n")
out = {}

def ok(result):
    typ, data = result
    if typ != "OK":
        raise SystemExit(f"command failed: {typ} {data}")
    return data

m = imaplib.IMAP4(host, int(port), timeout=30)
ok(m.login(user, password))
ok(m.append("INBOX", None, None, MESSAGE))
ok(m.select("INBOX"))
items = ["BODY.PEEK[HEADER.FIELDS (subject x-long)]", "BODY.PEEK[HEADER.FIELDS.NOT (Subject X-Long Content-Type)]",
         "BODY.PEEK[]<0.100>", "BODY.PEEK[1]<5.10>", "BODY.PEEK[1]<15.100>", "BODY.PEEK[1]<100.10>", "BODY.PEEK[TEXT]<0.3>",
         "BODY.PEEK[1.MIME]", "BODY.PEEK[2]", "BINARY.PEEK[2]", "BINARY.SIZE[2]", "RFC822.HEADER", "RFC822.SIZE"]
for item in items:
    data = ok(m.fetch("1", "(" + item + ")"))
    first = data[0]
    if isinstance(first, tuple):
        out[item] = {"label": first[0].decode("latin-1"), "bytes": first[1].decode("latin-1")}
    else:
        out[item] = {"label": first.decode("latin-1"), "bytes": None}
out["search_seq"] = ok(m.search(None, "1", "UID", "1:*"))[0].decode()
out["flags_after_peek"] = ok(m.fetch("1", "(FLAGS)"))[0].decode()
ok(m.fetch("1", "(BODY[TEXT])"))
out["flags_after_body"] = ok(m.fetch("1", "(FLAGS)"))[0].decode()
first = ok(m.fetch("1", "(RFC822.TEXT)"))[0]
out["RFC822.TEXT"] = {"label": first[0].decode("latin-1"), "bytes": first[1].decode("latin-1")}
out["whole"] = ok(m.fetch("1", "(BODY.PEEK[])"))[0][1] == MESSAGE
out["check"] = m.check()[0]
ok(m.subscribe("Archive"))
out["lsub"] = [x.decode() for x in ok(m.lsub())]
ok(m.unsubscribe("Archive"))
out["lsub_after"] = [x.decode() for x in ok(m.lsub('""', "Ar*")) if x]
ok(m.close())
# RFC 9051 §6.3.6: renaming INBOX moves its messages to the new name and leaves INBOX empty.
ok(m.rename("INBOX", "Oldmail"))
out["inbox_after_rename"] = ok(m.status("INBOX", "(MESSAGES)"))[0].decode()
out["renamed"] = ok(m.status('"Oldmail"', "(MESSAGES)"))[0].decode()
m.logout()
print(json.dumps(out))
