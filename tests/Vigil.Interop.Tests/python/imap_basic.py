"""Exercises Vigil's IMAP with Python's imaplib. Usage:
imap_basic.py HOST PORT MODE(starttls|ssl) USER PASSWORD
Prints one JSON object with what each step returned; exits non-zero when a command fails."""
import imaplib, json, ssl, sys, time

host, port, mode, user, password = sys.argv[1:6]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
out = {}

if mode == "ssl":
    m = imaplib.IMAP4_SSL(host, int(port), ssl_context=ctx, timeout=30)
else:
    m = imaplib.IMAP4(host, int(port), timeout=30)
    out["before_tls"] = list(m.capabilities)
    m.starttls(ssl_context=ctx)
out["capabilities"] = list(m.capabilities)

def ok(result):
    typ, data = result
    if typ != "OK":
        raise SystemExit(f"command failed: {typ} {data}")
    return data

ok(m.login(user, password))
out["list"] = [x.decode() for x in ok(m.list())]
out["select"] = [x.decode() for x in ok(m.select("INBOX"))]
out["search_all"] = ok(m.search(None, "ALL"))[0].decode()
out["search_subject"] = ok(m.search("UTF-8", "SUBJECT", "hello"))[0].decode()
data = ok(m.fetch("1", "(FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)] RFC822)"))
out["fetch_meta"] = data[0][0].decode()
out["fetch_header"] = data[0][1].decode() if isinstance(data[0], tuple) else None
out["fetch_parts"] = [d[0].decode() if isinstance(d, tuple) else d.decode() for d in data]
out["flags_after_rfc822"] = ok(m.fetch("1", "(FLAGS)"))[0].decode()
out["store"] = [x.decode() for x in ok(m.store("1", "+FLAGS", "(\\Flagged)"))]
msg = b"From: py@example.test\r\nSubject: appended by imaplib\r\n\r\nbody\r\n"
out["append"] = [x.decode() for x in ok(m.append("INBOX", "(\\Seen)", imaplib.Time2Internaldate(time.time()), msg))]
out["uid_search"] = ok(m.uid("SEARCH", None, "SUBJECT", "appended"))[0].decode()
uid = out["uid_search"].split()[-1]
ok(m.uid("COPY", uid, "Archive"))
out["uid_copy"] = [x.decode() for x in m.response("COPYUID")[1]]
ok(m.uid("STORE", uid, "+FLAGS.SILENT", "(\\Deleted)"))
out["expunge"] = [x.decode() if x else "" for x in ok(m.expunge())]
out["status"] = ok(m.status("Archive", "(MESSAGES UIDNEXT)"))[0].decode()
ok(m.create("Py/Sub"))
out["list_py"] = [x.decode() for x in ok(m.list(pattern="Py*"))]
ok(m.rename("Py", "Python"))
ok(m.delete("Python/Sub"))
ok(m.close())
out["logout"] = m.logout()[0]
print(json.dumps(out))
