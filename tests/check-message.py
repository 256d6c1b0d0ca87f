#!/usr/bin/python3
"""An independent reading of a message Singly built, with Python's email package.

Usage: check-message.py FILE.eml
Prints one JSON object describing the message as a standard parser sees it,
and exits 1 (with the reason on stderr) if the message breaks a wire rule:
a line over 998 octets, a bare CR or LF, a Bcc header, or not exactly one
address in To.
"""
import email
import email.policy
import json
import sys

data = open(sys.argv[1], "rb").read()
problems = []

for number, line in enumerate(data.split(b"\r\n"), 1):
    if len(line) > 998:
        problems.append(f"line {number} is {len(line)} octets long")
    if b"\r" in line or b"\n" in line:
        problems.append(f"line {number} holds a bare CR or LF")
if not data.endswith(b"\r\n"):
    problems.append("the message does not end with CRLF")

message = email.message_from_bytes(data, policy=email.policy.default)

if "Bcc" in message:
    problems.append("the message has a Bcc header")
to = message.get_all("To") or []
if len(to) != 1 or len(to[0].addresses) != 1:
    problems.append(f"To holds {sum(len(t.addresses) for t in to)} addresses")
if len(message.get_all("From") or []) != 1:
    problems.append("not exactly one From")

def addresses(name):
    out = []
    for header in message.get_all(name) or []:
        for address in header.addresses:
            out.append({"name": address.display_name, "address": address.addr_spec})
    return out

parts = []
attachments = []
plain = None
html = None
for part in message.walk():
    parts.append(part.get_content_type())
    if part.is_multipart():
        continue
    if part.get_content_disposition() == "attachment":
        attachments.append({"filename": part.get_filename(),
                            "size": len(part.get_payload(decode=True))})
    elif part.get_content_type() == "text/plain" and plain is None:
        plain = part.get_content()
    elif part.get_content_type() == "text/html" and html is None:
        html = part.get_content()

# The parser keeps the wire's CRLF inside decoded text; compare text as text
if plain is not None:
    plain = plain.replace("\r\n", "\n")
if html is not None:
    html = html.replace("\r\n", "\n")

result = {
    "from": addresses("From"),
    "to": addresses("To"),
    "cc": addresses("Cc"),
    "reply_to": addresses("Reply-To"),
    "subject": str(message.get("Subject", "")),
    "message_id": str(message.get("Message-ID", "")),
    "date": str(message.get("Date", "")),
    "mime_version": str(message.get("MIME-Version", "")),
    "parts": parts,
    "attachments": attachments,
    "plain": plain,
    "html": html,
    "defects": [str(d) for p in message.walk() for d in p.defects],
}
json.dump(result, sys.stdout, ensure_ascii=False)
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
