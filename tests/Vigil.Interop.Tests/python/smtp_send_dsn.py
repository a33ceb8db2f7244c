"""Submits one message with Python's smtplib (STARTTLS + AUTH) and RFC 3461 DSN parameters.
usage: smtp_send_dsn.py HOST PORT USER PASSWORD FROM TO SUBJECT RET|- ENVID|- NOTIFY|- ORCPT|- [EXTRA_HEADER_LINES_FILE]
Prints the final reply ("250 ...") or the refusal ("553 ...") and exits 0 either way; 2 on other errors."""
import smtplib, ssl, sys
from email.message import EmailMessage

host, port, user, password, sender, rcpt, subject, ret, envid, notify, orcpt = sys.argv[1:12]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE

msg = EmailMessage()
if len(sys.argv) > 12:
    for line in open(sys.argv[12]).read().splitlines():
        name, value = line.split(":", 1)
        msg[name] = value.strip()
if "From" not in msg:  # an extra header file may bring its own (different) From
    msg["From"] = sender
msg["To"] = rcpt
msg["Subject"] = subject
msg.set_content("Sent by Python smtplib with DSN parameters.\n")

mail_options = []
if ret != "-":
    mail_options.append("RET=" + ret)
if envid != "-":
    mail_options.append("ENVID=" + envid)
rcpt_options = []
if notify != "-":
    rcpt_options.append("NOTIFY=" + notify)
if orcpt != "-":
    rcpt_options.append("ORCPT=" + orcpt)

s = smtplib.SMTP(host, int(port), timeout=30)
s.ehlo("python.test")
s.starttls(context=ctx)
s.ehlo("python.test")
s.login(user, password)
try:
    s.send_message(msg, from_addr=sender, to_addrs=[rcpt], mail_options=mail_options, rcpt_options=rcpt_options)
    print("250 accepted")
except smtplib.SMTPSenderRefused as e:
    print(e.smtp_code, e.smtp_error.decode())
except smtplib.SMTPRecipientsRefused as e:
    code, text = list(e.recipients.values())[0]
    print(code, text.decode())
except smtplib.SMTPDataError as e:
    print(e.smtp_code, e.smtp_error.decode())
s.quit()
