"""Tries one login with Python's smtplib, poplib or imaplib and prints the outcome. Usage:
login_check.py smtp|pop3|imap HOST PORT USER PASSWORD
Prints "OK" or "FAIL <server reply>" (SMTP: code and text; POP3: the -ERR line; IMAP: the NO text).
SMTP uses plain submission on loopback; POP3 and IMAP upgrade with STLS/STARTTLS (certificate not
verified: the test server's certificate is self-signed)."""
import imaplib, poplib, smtplib, ssl, sys

proto, host, port, user, password = sys.argv[1:6]
if proto == "smtp":
    s = smtplib.SMTP(host, int(port), timeout=30)
    s.ehlo("client.example.net")
    try:
        s.login(user, password)
        print("OK")
    except smtplib.SMTPAuthenticationError as e:
        print("FAIL", e.smtp_code, e.smtp_error.decode())
    s.quit()
elif proto == "imap":
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    m = imaplib.IMAP4(host, int(port), timeout=30)
    m.starttls(ssl_context=ctx)
    try:
        m.login(user, password)
        print("OK")
        m.logout()
    except imaplib.IMAP4.error as e:
        print("FAIL", e.args[0].decode() if isinstance(e.args[0], bytes) else e.args[0])
else:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    p = poplib.POP3(host, int(port), timeout=30)
    p.stls(context=ctx)
    try:
        p.user(user)
        p.pass_(password)
        print("OK")
    except poplib.error_proto as e:
        print("FAIL", e.args[0].decode())
    p.quit()
