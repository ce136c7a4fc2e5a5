#!/usr/bin/python3
# imap-read.py — read a test mailbox back over IMAP with verified TLS.
#
#   imap-read.py --port P --ca CA --user U --password PW [--mailbox M]
#                [--starttls] COMMAND
#   list                    one JSON object per message: uid, from, to,
#                           subject, message-id, in-reply-to, references,
#                           auto-submitted, x-intaked-loop, date,
#                           internaldate (epoch seconds)
#   wait --count N [--timeout S]
#                           wait until the mailbox holds at least N messages
#                           (exit 1 on timeout, printing how many there are)
#   fetch --uid N           the raw message on stdout
#   body --uid N            the decoded text of the first text/plain part
#                           (else text/html), as UTF-8
#   count                   the number of messages
#
# --port is the implicit-TLS port unless --starttls is given.  Headers are
# decoded (RFC 2047) and unfolded.  Debian's /usr/bin/python3.
import argparse
import email
import email.errors
import email.header
import email.parser
import email.policy
import email.utils
import imaplib
import json
import re
import ssl
import sys
import time

HEADERS = ["from", "to", "subject", "message-id", "in-reply-to",
           "references", "auto-submitted", "x-intaked-loop", "date"]


def connect(a):
    ctx = ssl.create_default_context(cafile=a.ca)
    if a.starttls:
        m = imaplib.IMAP4("127.0.0.1", a.port, timeout=30)
        m.starttls(ssl_context=ctx)
    else:
        m = imaplib.IMAP4_SSL("127.0.0.1", a.port, ssl_context=ctx,
                              timeout=30)
    m.login(a.user, a.password)
    typ, _ = m.select(a.mailbox, readonly=True)
    if typ != "OK":
        sys.exit(f"imap-read: cannot select {a.mailbox}")
    return m


def count(m):
    typ, data = m.select(m._wanted_mailbox, readonly=True)
    return int(data[0])


def decode(value):
    if value is None:
        return None
    try:
        text = str(email.header.make_header(
            email.header.decode_header(str(value))))
    except (UnicodeError, LookupError, email.errors.HeaderParseError):
        text = str(value)
    return " ".join(text.split())


def cmd_list(m):
    typ, data = m.uid("SEARCH", None, "ALL")
    uids = data[0].split()
    if not uids:
        return
    typ, data = m.uid("FETCH", b",".join(uids),
                      "(UID INTERNALDATE BODY.PEEK[HEADER])")
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    for item in data:
        if not isinstance(item, tuple):
            continue
        meta = item[0].decode("latin-1")
        uid = int(re.search(r"UID (\d+)", meta).group(1))
        idate = re.search(r'INTERNALDATE "([^"]+)"', meta)
        h = parser.parsebytes(item[1])
        out = {"uid": uid}
        for name in HEADERS:
            out[name] = decode(h.get(name))
        if idate:
            out["internaldate"] = time.mktime(
                imaplib.Internaldate2tuple(
                    b'INTERNALDATE "' + idate.group(1).encode() + b'"'))
        print(json.dumps(out, ensure_ascii=False))


def cmd_fetch(m, uid):
    typ, data = m.uid("FETCH", str(uid), "(BODY.PEEK[])")
    for item in data:
        if isinstance(item, tuple):
            sys.stdout.buffer.write(item[1])
            return
    sys.exit(f"imap-read: no message with uid {uid}")


def cmd_body(m, uid):
    typ, data = m.uid("FETCH", str(uid), "(BODY.PEEK[])")
    raw = next((i[1] for i in data if isinstance(i, tuple)), None)
    if raw is None:
        sys.exit(f"imap-read: no message with uid {uid}")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        sys.exit(f"imap-read: message {uid} has no text part")
    print(part.get_content(), end="")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--mailbox", default="INBOX")
    p.add_argument("--starttls", action="store_true")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    sub.add_parser("count")
    w = sub.add_parser("wait")
    w.add_argument("--count", type=int, required=True)
    w.add_argument("--timeout", type=float, default=30)
    f = sub.add_parser("fetch")
    f.add_argument("--uid", type=int, required=True)
    b = sub.add_parser("body")
    b.add_argument("--uid", type=int, required=True)
    a = p.parse_args()

    m = connect(a)
    m._wanted_mailbox = a.mailbox
    try:
        if a.cmd == "list":
            cmd_list(m)
        elif a.cmd == "count":
            print(count(m))
        elif a.cmd == "fetch":
            cmd_fetch(m, a.uid)
        elif a.cmd == "body":
            cmd_body(m, a.uid)
        else:
            deadline = time.monotonic() + a.timeout
            while True:
                n = count(m)
                if n >= a.count:
                    print(n)
                    break
                if time.monotonic() > deadline:
                    print(n)
                    sys.exit(1)
                time.sleep(0.1)
    finally:
        try:
            m.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


if __name__ == "__main__":
    main()
