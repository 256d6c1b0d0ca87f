#!/usr/bin/python3
"""Writes the benchmark inputs: a contact list and a plain-text template.

make-data.py merge DIR ROWS   -> DIR/contacts.csv (6 columns), DIR/template.txt (~4 KB, 6 fields)
make-data.py load FILE ROWS   -> FILE, a CSV of ROWS rows, 7 columns (~85 bytes a row)
The data is the same on every run (a fixed seed), so runs compare.
"""
import os
import random
import sys

FIRST = ["Alice", "Bob", "Chloé", "Jürgen", "小明", "Zoë", "José", "Priya", "Ólafur", "Anna"]
LAST = ["Martin", "O'Neil", "Dubois", "Groß", "王", "van der Berg", "García", "Sharma", "Jónsson", "Lee"]
COMPANY = ["Acme Ltd", "O'Neil & Sons", "Société Générale d'Exemple", "Müller GmbH",
           "北京示例科技有限公司", "Berg, Berg & Co", "Ejemplo S.A.", "Sample Industries"]
CITY = ["Paris", "Berlin", "北京", "Madrid", "Reykjavík", "Amsterdam", "Pune", "Dublin"]


def rows(n, rng):
    for i in range(n):
        first = rng.choice(FIRST)
        last = rng.choice(LAST)
        company = rng.choice(COMPANY)
        yield [f"user{i}@example{i % 97}.com", first, last, company,
               f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}", rng.choice(CITY)]


def quote(value):
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(path, n, phone=False):
    rng = random.Random(1)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("email,first_name,last_name,company,amount,city" + (",phone" if phone else "") + "\r\n")
        for row in rows(n, rng):
            if phone:
                row.append(f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000000, 9999999)}")
            out.write(",".join(quote(v) for v in row) + "\r\n")


TEMPLATE_HEAD = "Subject: Your statement, {{first_name}} {{last_name}}\n\n"
PARAGRAPH = ("We are writing to {{first_name}} at {{company}} about the amount of "
             "{{amount}} EUR that is due this month. Our office in {{city}} will be glad "
             "to answer any question about this statement; reply to this message or call "
             "us on a working day between nine and five.\n\n")


def write_template(path):
    body = "Dear {{first_name}} {{last_name}},\n\n"
    while len(body) < 4000:
        body += PARAGRAPH
    body += "Kind regards,\nThe Accounts Team\n"
    with open(path, "w", encoding="utf-8") as out:
        out.write(TEMPLATE_HEAD + body)


if __name__ == "__main__":
    what, where, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if what == "merge":
        os.makedirs(where, exist_ok=True)
        write_csv(os.path.join(where, "contacts.csv"), n)
        write_template(os.path.join(where, "template.txt"))
    elif what == "load":
        # a seventh column brings a million rows to the ~80 MB of the issue
        write_csv(where, n, phone=True)
    else:
        sys.exit("usage: make-data.py merge DIR ROWS | load FILE ROWS")
