#!/usr/bin/python3
# send-many.py — submit many incident reports fast, for the crash test and
# the benchmark.
#
#   send-many.py --port SMTP_PORT --ca CA --count N [--users req1,req2]
#                [--connections K] [--tag T] [--out FILE] [--rate R] [--mx]
#
# Report i goes from users[i % len(users)]@example.test to
# cert@example.test with Message-ID <T-i@requester.example.test>, over
# submission with STARTTLS, a verified certificate and AUTH, K connections
# in parallel (threads), each reused for many messages.  With --mx the
# port is the stack's relay instead, spoken to as a hospital's mail server
# speaks to the CERT's MX: plain SMTP on loopback, no AUTH.  With --out, one
# JSON line per accepted message: {"i", "message_id", "from", "accepted"}
# where accepted is the time.time() when the server answered 250 to DATA.
# Exits non-zero if any message was refused.
import argparse
import json
import smtplib
import ssl
import sys
import threading
import time
from email.utils import formatdate

BODIES = [
    "Hello CERT,\n\nOur file server shows encrypted files with a ransom "
    "note since this morning.\nWe isolated the network segment.\n\n"
    "Regards,\nIT department\n",
    "Goedemorgen,\n\nVanochtend zagen we verdachte aanmeldingen op onze "
    "mailserver. Kunnen jullie helpen?\n\nMet vriendelijke groeten,\nIT\n",
]


def build(i, tag, user):
    """One plain-text report as the bytes to send (CRLF line ends)."""
    body = BODIES[i % len(BODIES)] + f"\nReference {tag}-{i}\n"
    head = (f"From: {user}@example.test\n"
            f"To: cert@example.test\n"
            f"Subject: Incident report {tag} #{i}\n"
            f"Date: {formatdate(localtime=True)}\n"
            f"Message-ID: <{tag}-{i}@requester.example.test>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n")
    return (head + body).replace("\n", "\r\n").encode()


def worker(a, users, indices, messages, results, lock, errors, start):
    ctx = ssl.create_default_context(cafile=a.ca)
    clients = {}
    try:
        for i in indices:
            if a.rate > 0:
                # Report i is due at start + i / rate: an even offer.
                delay = start + i / a.rate - time.time()
                if delay > 0:
                    time.sleep(delay)
            user = users[i % len(users)]
            s = clients.get(user)
            if s is None:
                s = smtplib.SMTP("127.0.0.1", a.port, timeout=60)
                if not a.mx:
                    s.starttls(context=ctx)
                    s.login(f"{user}@example.test", f"pw-{user}")
                clients[user] = s
            raw = messages[i]
            for attempt in range(5):
                try:
                    s.sendmail(f"{user}@example.test",
                               ["cert@example.test"], raw)
                    break
                except smtplib.SMTPResponseException as e:
                    if e.smtp_code >= 500 or attempt == 4:
                        raise
                    time.sleep(0.5)
            accepted = time.time()
            with lock:
                results.append({"i": i,
                                "message_id": f"<{a.tag}-{i}@requester."
                                              "example.test>",
                                "from": f"{user}@example.test",
                                "accepted": accepted})
    except Exception as e:  # report and let the main thread fail
        with lock:
            errors.append(f"{type(e).__name__}: {e}")
    finally:
        for s in clients.values():
            try:
                s.quit()
            except Exception:
                pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--users", default="req1,req2,req3,req4")
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--tag", default="report")
    p.add_argument("--out")
    p.add_argument("--mx", action="store_true",
                   help="plain SMTP without AUTH, to the relay's port")
    p.add_argument("--rate", type=float, default=0,
                   help="reports per second offered in all (0: as fast "
                   "as they are accepted)")
    a = p.parse_args()
    users = a.users.split(",")
    results, errors = [], []
    lock = threading.Lock()
    k = max(1, min(a.connections, a.count))
    # Built beforehand, so that the sender's own work during the run is
    # only the SMTP dialogue (a benchmark measures the daemon, not
    # Python's email package).
    messages = [build(i, a.tag, users[i % len(users)])
                for i in range(a.count)]
    start = time.time()
    threads = [threading.Thread(target=worker,
                                args=(a, users, range(j, a.count, k),
                                      messages, results, lock, errors,
                                      start))
               for j in range(k)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if a.out:
        with open(a.out, "w") as f:
            for r in sorted(results, key=lambda r: r["i"]):
                f.write(json.dumps(r) + "\n")
    if errors:
        print("send-many: " + "; ".join(errors[:5]), file=sys.stderr)
        sys.exit(1)
    print(len(results))


if __name__ == "__main__":
    main()
