#!/usr/bin/python3
# send-many.py — submit many incident reports fast, for the crash test and
# the benchmark.
#
#   send-many.py --port SMTP_PORT --ca CA --count N [--users req1,req2]
#                [--connections K] [--tag T] [--out FILE]
#
# Report i goes from users[i % len(users)]@example.test to
# cert@example.test with Message-ID <T-i@requester.example.test>, over
# submission with STARTTLS, a verified certificate and AUTH, K connections
# in parallel (threads), each reused for many messages.  With --out, one
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
from email.message import EmailMessage
from email.utils import formatdate

BODIES = [
    "Hello CERT,\n\nOur file server shows encrypted files with a ransom "
    "note since this morning.\nWe isolated the network segment.\n\n"
    "Regards,\nIT department\n",
    "Goedemorgen,\n\nVanochtend zagen we verdachte aanmeldingen op onze "
    "mailserver. Kunnen jullie helpen?\n\nMet vriendelijke groeten,\nIT\n",
]


def build(i, tag, user):
    m = EmailMessage()
    m["From"] = f"{user}@example.test"
    m["To"] = "cert@example.test"
    m["Subject"] = f"Incident report {tag} #{i}"
    m["Date"] = formatdate(localtime=True)
    m["Message-ID"] = f"<{tag}-{i}@requester.example.test>"
    m.set_content(BODIES[i % len(BODIES)] + f"\nReference {tag}-{i}\n")
    return m


def worker(a, users, indices, results, lock, errors, start):
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
                s.starttls(context=ctx)
                s.login(f"{user}@example.test", f"pw-{user}")
                clients[user] = s
            m = build(i, a.tag, user)
            for attempt in range(5):
                try:
                    s.send_message(m)
                    break
                except smtplib.SMTPResponseException as e:
                    if e.smtp_code >= 500 or attempt == 4:
                        raise
                    time.sleep(0.5)
            accepted = time.time()
            with lock:
                results.append({"i": i, "message_id": m["Message-ID"],
                                "from": m["From"], "accepted": accepted})
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
    p.add_argument("--rate", type=float, default=0,
                   help="reports per second offered in all (0: as fast "
                   "as they are accepted)")
    a = p.parse_args()
    users = a.users.split(",")
    results, errors = [], []
    lock = threading.Lock()
    k = max(1, min(a.connections, a.count))
    start = time.time()
    threads = [threading.Thread(target=worker,
                                args=(a, users, range(j, a.count, k),
                                      results, lock, errors, start))
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
