#!/usr/bin/python3
"""The same merge as bench-merge, written the usual way with Python's email package.

merge-python.py DIR  (reads DIR/contacts.csv and DIR/template.txt from make-data.py)
Builds every message (From, To with the display name, Subject, Date,
Message-ID, the body as quoted-printable UTF-8 text) and serialises it with
CRLF line ends, then prints the rate in the same format as bench-merge.
"""
import csv
import email.policy
import email.utils
import re
import resource
import sys
import time
from email.headerregistry import Address
from email.message import EmailMessage

directory = sys.argv[1]
with open(f"{directory}/template.txt", encoding="utf-8") as f:
    header, body = f.read().split("\n\n", 1)
subject_template = header.split(": ", 1)[1]
with open(f"{directory}/contacts.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))

field = re.compile(r"\{\{(\w+)\}\}")
policy = email.policy.SMTP
start_cpu = time.process_time()
start = time.perf_counter()
size = 0
for row in rows:
    render = lambda text: field.sub(lambda m: row[m.group(1)], text)
    message = EmailMessage(policy=policy)
    message["From"] = Address("Example Trading", "office", "example.org")
    local, domain = row["email"].split("@")
    message["To"] = Address(f"{row['first_name']} {row['last_name']}", local, domain)
    message["Subject"] = render(subject_template)
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain="example.org")
    message.set_content(render(body), charset="utf-8", cte="quoted-printable")
    size += len(message.as_bytes(policy=policy))
wall = time.perf_counter() - start
cpu = time.process_time() - start_cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"python-email: messages={len(rows)} bytes={size} wall_s={wall:.2f} cpu_s={cpu:.2f} "
      f"rate={len(rows) / cpu:.0f}/s peak_rss_mib={rss:.0f}")
