"""Tries one login and prints the server's answer, to compare what an attacker learns.
Usage: auth_probe.py smtp|pop3 HOST PORT USER PASSWORD
Prints "ok" or "refused: <reply>" and the seconds the failure took."""
import poplib, smtplib, sys, time

proto, host, port, user, password = sys.argv[1:6]
start = time.monotonic()
try:
    if proto == "smtp":
        s = smtplib.SMTP(host, int(port), timeout=30)
        s.ehlo("probe.test")
        s.login(user, password)
        s.quit()
    else:
        p = poplib.POP3(host, int(port), timeout=30)
        p.user(user)
        p.pass_(password)
        p.quit()
    print("ok")
except smtplib.SMTPAuthenticationError as e:
    print("refused: %d %s" % (e.smtp_code, e.smtp_error.decode()))
except poplib.error_proto as e:
    print("refused: %s" % e.args[0].decode())
print("%.3f" % (time.monotonic() - start))
