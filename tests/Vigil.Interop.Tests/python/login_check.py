"""Tries one login with Python's smtplib or poplib and prints the outcome. Usage:
login_check.py smtp|pop3 HOST PORT USER PASSWORD
Prints "OK" or "FAIL <server reply>" (for SMTP the reply code and text; for POP3 the -ERR line).
SMTP uses plain submission on loopback; POP3 upgrades with STLS (certificate not verified: the
test server's certificate is self-signed)."""
import poplib, smtplib, ssl, sys

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
