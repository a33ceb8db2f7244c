#!/usr/bin/python3
"""Reads a stored DSN with Python's email package and prints what a mail client would see:
content type, report-type, and the per-message and per-recipient delivery-status fields.
usage: dsn_check.py MESSAGE_FILE   (exit status 1 when it is not a multipart/report DSN)"""
import sys
from email import message_from_bytes, policy

msg = message_from_bytes(open(sys.argv[1], "rb").read(), policy=policy.default)
print("content-type:", msg.get_content_type())
print("report-type:", msg.get_param("report-type"))
print("subject:", msg["subject"])
parts = list(msg.iter_parts()) if msg.is_multipart() else []
print("parts:", ",".join(p.get_content_type() for p in parts))
if msg.get_content_type() != "multipart/report" or len(parts) < 2 or parts[1].get_content_type() != "message/delivery-status":
    sys.exit(1)
# message/delivery-status: the email package parses it into a list of header blocks.
for i, group in enumerate(parts[1].get_payload()):
    for name, value in group.items():
        print(f"{i}:{name}: {value}")
if len(parts) > 2:
    returned = parts[2]
    if returned.get_content_type() == "message/rfc822":
        print("returned-subject:", returned.get_payload()[0]["subject"])
    else:
        print("returned-headers:", returned.get_content().count("\n"), "lines")
