"""Sends one message with Python's smtplib. Usage:
smtp_send.py HOST PORT MODE(plain|starttls|ssl) USER|- PASSWORD|- FROM TO[,TO...] SUBJECT [utf8]
Prints the server's final reply to DATA and exits 0 on success."""
import smtplib, ssl, sys
from email.message import EmailMessage

host, port, mode, user, password, sender, rcpts, subject = sys.argv[1:9]
utf8 = len(sys.argv) > 9 and sys.argv[9] == "utf8"
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE

msg = EmailMessage()
msg["From"] = sender
msg["To"] = rcpts
msg["Subject"] = subject
msg.set_content("Sent by Python smtplib.\n.leading dot line\nnon-ASCII: çà ✓\n", cte="8bit")

if mode == "ssl":
    s = smtplib.SMTP_SSL(host, int(port), context=ctx, timeout=30)
else:
    s = smtplib.SMTP(host, int(port), timeout=30)
s.ehlo("python.test")
if mode == "starttls":
    s.starttls(context=ctx)
    s.ehlo("python.test")
if user != "-":
    s.login(user, password)
opts = []  # smtplib adds SMTPUTF8 itself when an address needs it
refused = s.send_message(msg, from_addr=sender, to_addrs=rcpts.split(","), mail_options=opts)
print("refused:", refused)
s.quit()
