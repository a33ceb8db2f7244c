#!/usr/bin/python3
"""Verifies every DKIM-Signature of a message with dkimpy (Debian's python3-dkim), fetching the
public keys from the given DNS server, the way a receiving MTA would.
usage: dkim_verify.py DNS_ADDRESS DNS_PORT MESSAGE_FILE
prints one line per signature "<index> <d=> <s=> <a=> pass|fail"; exit status 0 when all pass."""
import sys
import dkim
import dns.resolver

server, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = [server]
resolver.port = port


def dnsfunc(name, timeout=5):
    answer = resolver.resolve(name.decode().rstrip("."), "TXT")
    return b"".join(b"".join(r.strings) for r in answer)


with open(path, "rb") as f:
    message = f.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
checker = dkim.DKIM(message)
signatures = [h for h in checker.headers if h[0].lower() == b"dkim-signature"]
if not signatures:
    print("no DKIM-Signature")
    sys.exit(1)
ok = True
for i, (_, value) in enumerate(signatures):
    tags = dict(t.strip().split(b"=", 1) for t in value.split(b";") if b"=" in t)
    passed = checker.verify(idx=i, dnsfunc=dnsfunc)
    ok = ok and passed
    print(i, tags[b"d"].decode(), tags[b"s"].decode(), tags[b"a"].decode(), "pass" if passed else "fail")
sys.exit(0 if ok else 1)
