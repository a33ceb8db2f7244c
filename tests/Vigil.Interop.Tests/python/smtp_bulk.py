"""Delivers every message file of a directory with Python's smtplib. Usage:
smtp_bulk.py HOST PORT RCPT[,RCPT...] DIR [CONNECTIONS]
Files ending in .eml go by DATA (smtplib does the dot-stuffing); files ending in .bdat go by
BDAT (RFC 3030) as one LAST chunk, so their bytes arrive exactly as they are (no final CRLF added).
Prints "sent N" and exits 0 when every message got a 250."""
import os, smtplib, sys, threading

host, port, rcpts, folder = sys.argv[1:5]
rcpts = rcpts.split(",")
connections = int(sys.argv[5]) if len(sys.argv) > 5 else 4
files = sorted(os.listdir(folder))
errors = []

def send(names):
    s = smtplib.SMTP(host, int(port), timeout=60)
    s.ehlo("bulk.test")
    for name in names:
        data = open(os.path.join(folder, name), "rb").read()
        if name.endswith(".bdat"):
            code, resp = s.mail("sender@remote.test", ["BODY=8BITMIME"])
            if code != 250: errors.append((name, code, resp)); continue
            bad = [r for r in rcpts if s.rcpt(r)[0] != 250]
            if bad: errors.append((name, "rcpt refused", bad)); continue
            s.send(b"BDAT %d LAST\r\n" % len(data) + data)
            code, resp = s.getreply()
            if code != 250: errors.append((name, code, resp))
        else:
            try:
                s.sendmail("sender@remote.test", rcpts, data, mail_options=["BODY=8BITMIME"])
            except smtplib.SMTPException as e:
                errors.append((name, str(e)))
    s.quit()

threads = [threading.Thread(target=send, args=(files[i::connections],)) for i in range(connections)]
for t in threads: t.start()
for t in threads: t.join()
if errors:
    print("errors:", errors[:5])
    sys.exit(1)
print("sent", len(files))
