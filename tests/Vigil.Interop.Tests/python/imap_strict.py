"""What an IMAP4rev1 session may not send, and what IMAP4rev2 dropped, through Python's imaplib.
Usage: imap_strict.py HOST PORT USER PASSWORD
Prints one JSON object: for each probe, "OK ..." or the error imaplib raised ("BAD ..."/"NO ...")."""
import imaplib, json, sys

host, port, user, password = sys.argv[1:5]
out = {}

def probe(name, call):
    try:
        typ, data = call()
        out[name] = typ + " " + " ".join(d.decode() if isinstance(d, bytes) else str(d) for d in data if d is not None)
    except imaplib.IMAP4.error as e:
        out[name] = str(e)

def literal_command(m, command, literal):
    # imaplib sends self.literal as a synchronizing literal after the command's arguments.
    m.literal = literal
    return m._simple_command(command)

# IMAP4rev1 session: \Recent exists; 8-bit names and NUL in a {n} literal do not.
m = imaplib.IMAP4(host, int(port), timeout=30)
m.login(user, password)
probe("rev1_status_recent", lambda: m.status("INBOX", "(MESSAGES RECENT)"))
probe("rev1_create_8bit", lambda: literal_command(m, "CREATE", "Grüße".encode()))
probe("rev1_create_mutf7", lambda: m.create("Gr&APwA3w-e"))
probe("rev1_append_nul", lambda: m.append("Drafts", None, None, b"Subject: nul\r\n\r\na\x00b\r\n"))
probe("rev1_append", lambda: m.append("Drafts", None, None, b"Subject: fine\r\n\r\nab\r\n"))
probe("rev1_status_drafts", lambda: m.status("Drafts", "(MESSAGES)"))
m.select("INBOX")
probe("rev1_search_recent", lambda: m.search(None, "RECENT"))
m.logout()

# IMAP4rev2 session: no RECENT status item or search key; names are UTF-8.
m = imaplib.IMAP4(host, int(port), timeout=30)
m.login(user, password)
probe("rev2_enable", lambda: m.enable("IMAP4rev2"))
probe("rev2_status_recent", lambda: m.status("INBOX", "(MESSAGES RECENT)"))
probe("rev2_status", lambda: m.status("INBOX", "(MESSAGES)"))
probe("rev2_create_utf8", lambda: literal_command(m, "CREATE", "Straße".encode()))
m.select("INBOX")
probe("rev2_search_recent", lambda: m.search(None, "RECENT"))
probe("rev2_search_new", lambda: m.search(None, "NEW"))
probe("rev2_fetch_flags", lambda: m.fetch("1", "(FLAGS)"))
m.logout()
print(json.dumps(out))
