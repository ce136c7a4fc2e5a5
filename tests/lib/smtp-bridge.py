#!/usr/bin/python3
# smtp-bridge.py — the SMTP relay behind Dovecot's submission service in the
# test mail stack (see /work/shared/notes/mailstack.md).
#
# Dovecot submission can only relay over SMTP, not LMTP, so this small
# aiosmtpd server accepts the relayed mail on a loopback port and delivers it
# over LMTP into Dovecot's mailboxes.  It also injects faults: DIR/faults.json
# is re-read on every command, e.g.
#   {"MAIL": "451 4.3.0 try later", "RCPT": "550 5.1.1 no such user",
#    "RCPT prov1@example.test": "452 4.2.2 full",
#    "DATA": "452 4.3.1 no space", "DOT": "451 4.3.0 after the data",
#    "delay": {"DATA": 3}, "drop": ["RCPT"]}
# A reply is sent instead of running the command; "delay" adds seconds before
# the command; "drop" closes the connection.  "DOT" is the end of the data.
#
# Every delivery is appended as one JSON line to --deliveries (time with
# sub-millisecond resolution, envelope and a few headers), so a benchmark
# can take the arrival time of a mail without trusting IMAP INTERNALDATE.
#
# Quirks handled here (notes, pitfall 6): no AUTH in EHLO, otherwise Dovecot
# sends MAIL FROM:<x> AUTH=<user> which aiosmtpd refuses with 555; and
# ENHANCEDSTATUSCODES must be advertised or Dovecot adds its own codes in
# front of ours.
#
# Must run with Debian's /usr/bin/python3 (python3-aiosmtpd).

import argparse
import asyncio
import email.parser
import email.policy
import functools
import json
import os
import signal
import sys
import time

from aiosmtpd.smtp import SMTP

args = None
deliveries = None


def log(*parts):
    print(time.strftime("%H:%M:%S"), "bridge:", *parts, file=sys.stderr,
          flush=True)


_cache = {}


def _cached(path, parse, empty):
    """parse(bytes) of path, re-read only when its mtime or size changed:
    the files are checked on every command and a burst of mail would
    otherwise spend its time opening them."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        _cache.pop(path, None)
        return empty
    key = (st.st_mtime_ns, st.st_size)
    hit = _cache.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    try:
        with open(path, "rb") as f:
            value = parse(f.read())
    except FileNotFoundError:
        return empty
    _cache[path] = (key, value)
    return value


def _parse_faults(data):
    if not data.strip():
        return {}
    try:
        faults = json.loads(data)
    except ValueError as e:
        log("faults.json unreadable, ignored:", e)
        return {}
    return faults if isinstance(faults, dict) else {}


def _parse_users(data):
    users = set()
    for line in data.decode("utf-8", "replace").splitlines():
        name = line.split(":", 1)[0].strip().lower()
        if name:
            users.add(name)
    return users


def load_faults():
    return _cached(args.faults, _parse_faults, {})


def load_users():
    return _cached(args.users, _parse_users, set())


def address_of(arg):
    arg = arg.strip()
    if arg.upper().startswith(("TO:", "FROM:")):
        arg = arg.split(":", 1)[1]
    arg = arg.strip()
    if arg.startswith("<"):
        arg = arg[1:arg.find(">")] if ">" in arg else arg[1:]
    return arg.split()[0].lower() if arg else ""


class FaultySMTP(SMTP):
    """aiosmtpd's server with a fault check in front of every command."""

    async def fault(self, command, arg, push=True):
        """True (or the reply, when push is False) if a fault applies."""
        faults = load_faults()
        delay = faults.get("delay", {})
        if isinstance(delay, dict) and command in delay:
            await asyncio.sleep(float(delay[command]))
        if command in faults.get("drop", []):
            log("fault: dropping connection at", command)
            self.transport.close()
            return True
        reply = None
        if command == "RCPT":
            reply = faults.get("RCPT " + address_of(arg))
        if reply is None:
            reply = faults.get(command)
        if isinstance(reply, str) and reply:
            log("fault:", command, "->", reply)
            if not push:
                return reply
            await self.push(reply)
            return True
        return False


def _wrap(command):
    original = getattr(SMTP, "smtp_" + command)

    # functools.wraps copies the @syntax attributes aiosmtpd looks up.
    @functools.wraps(original)
    async def wrapped(self, arg):
        if await self.fault(command, arg):
            return
        await original(self, arg)

    return wrapped


for _command in ("EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "NOOP",
                 "VRFY", "QUIT"):
    setattr(FaultySMTP, "smtp_" + _command, _wrap(_command))


async def read_reply(reader):
    lines = []
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("LMTP server closed the connection")
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            break
    code = int(lines[-1][:3])
    return code, lines[-1]


class Lmtp:
    """One LMTP connection to Dovecot, greeted and LHLO'd."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls):
        reader, writer = await asyncio.open_unix_connection(args.lmtp)
        conn = cls(reader, writer)
        try:
            for command, want in ((None, 220), (b"LHLO localhost\r\n", 250)):
                if command:
                    writer.write(command)
                code, text = await read_reply(reader)
                if code != want:
                    raise LmtpRefused(text)
        except BaseException:
            conn.close()
            raise
        return conn

    async def command(self, line):
        self.writer.write(line)
        return await read_reply(self.reader)

    def close(self):
        self.writer.close()


class LmtpRefused(Exception):
    """The LMTP server refused the greeting or LHLO (text: its reply)."""


# Idle LMTP connections kept for the next delivery: a new connection costs
# Dovecot a client and a raw mail user, about a third of what the
# delivery itself costs (docs/performance.md).  Each one holds an lmtp
# process (client_limit 1), so only a few are kept.
_idle = []
IDLE_MAX = 8


async def lmtp_deliver(sender, recipients, content):
    """Delivers one message over LMTP; returns one reply per recipient.
    A kept connection the server closed meanwhile (a restart, its idle
    timeout: 421) fails at MAIL, before any data: then a fresh one is
    used."""
    # aiosmtpd keeps the null sender as the literal "<>".
    sender = sender.strip()
    if sender.startswith("<") and sender.endswith(">"):
        sender = sender[1:-1]
    body = " BODY=8BITMIME" if any(b > 127 for b in content) else ""
    mail = f"MAIL FROM:<{sender}>{body}\r\n".encode()
    conn = _idle.pop() if _idle else None
    code = None
    if conn is not None:
        try:
            code, text = await conn.command(mail)
        except (OSError, ConnectionError):
            code = None
        if code is None or code == 421:
            conn.close()
            conn = None
    if conn is None:
        try:
            conn = await Lmtp.open()
        except LmtpRefused as e:
            return {r: str(e) for r in recipients}
        try:
            code, text = await conn.command(mail)
        except BaseException:
            conn.close()
            raise
    keep = False
    try:
        results, keep = await _transaction(conn, code, text, recipients,
                                           content)
        return results
    finally:
        if keep and len(_idle) < IDLE_MAX:
            _idle.append(conn)
        else:
            conn.close()


async def _transaction(conn, code, text, recipients, content):
    """The rest of one LMTP transaction after MAIL's reply (code, text).
    Returns (replies per recipient, whether the connection may be kept)."""
    if code != 250:
        await conn.command(b"RSET\r\n")
        return {r: text for r in recipients}, True
    results, accepted = {}, []
    for r in recipients:
        code, text = await conn.command(f"RCPT TO:<{r}>\r\n".encode())
        if code == 250:
            accepted.append(r)
        else:
            results[r] = text
    if not accepted:
        await conn.command(b"RSET\r\n")
        return results, True
    code, text = await conn.command(b"DATA\r\n")
    if code != 354:
        for r in accepted:
            results[r] = text
        return results, False
    # CRLF line ends and dot-stuffing, on the whole buffer at once.
    data = content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if data and not data.endswith(b"\r\n"):
        data += b"\r\n"
    if data.startswith(b"."):
        data = b"." + data
    data = data.replace(b"\r\n.", b"\r\n..")
    conn.writer.write(data + b".\r\n")
    for r in accepted:
        code, text = await read_reply(conn.reader)
        results[r] = "250" if code == 250 else text
    return results, True


class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        session.host_name = hostname
        kept = [r for r in responses if not r[4:].upper().startswith("AUTH")]
        last = kept.pop()
        kept.append("250-ENHANCEDSTATUSCODES")
        kept.append(last)
        return kept

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if address.lower() not in load_users():
            return f"550 5.1.1 <{address}> User doesn't exist: {address}"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        fault = await server.fault("DOT", "", push=False)
        if isinstance(fault, str):
            return fault
        if fault:
            return "421 4.4.0 dropped"
        content = envelope.original_content or b""
        try:
            results = await lmtp_deliver(envelope.mail_from or "",
                                         envelope.rcpt_tos, content)
        except (OSError, ConnectionError) as e:
            log("LMTP failed:", e)
            return "451 4.4.0 LMTP delivery failed"
        failed = {r: t for r, t in results.items() if t != "250"}
        delivered = [r for r in envelope.rcpt_tos if r not in failed]
        if delivered:
            record(envelope, delivered, content)
        if failed:
            log("LMTP refused:", failed)
            if not delivered:
                return next(iter(failed.values()))
        return "250 2.0.0 OK delivered"


def record(envelope, delivered, content):
    # The header block only: the body can be megabytes.
    end = content.find(b"\r\n\r\n")
    if end < 0:
        end = content.find(b"\n\n")
    head = content if end < 0 else content[:end + 2]
    headers = email.parser.BytesHeaderParser(
        policy=email.policy.compat32).parsebytes(head)

    def h(name):
        v = headers.get(name)
        return " ".join(str(v).split()) if v is not None else None

    entry = {
        "time": time.time(),
        "mail_from": envelope.mail_from,
        "rcpt_to": delivered,
        "message_id": h("Message-ID"),
        "in_reply_to": h("In-Reply-To"),
        "subject": h("Subject"),
        "auto_submitted": h("Auto-Submitted"),
        "size": len(content),
    }
    deliveries.write(json.dumps(entry) + "\n")
    deliveries.flush()


class Factory:
    def __call__(self):
        # The real check of the fault hooks must see CRLF bytes, so no
        # decoding; the line limit is raised for long base64/HTML lines.
        return FaultySMTP(Handler(), hostname="localhost",
                          decode_data=False, enable_SMTPUTF8=True,
                          data_size_limit=64 * 1024 * 1024)


def main():
    global args, deliveries
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--lmtp", required=True, help="Dovecot LMTP socket")
    p.add_argument("--users", required=True, help="passwd-file of users")
    p.add_argument("--faults", required=True)
    p.add_argument("--deliveries", required=True)
    args = p.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("bridge: loopback only")
    deliveries = open(args.deliveries, "a")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        server = loop.run_until_complete(
            loop.create_server(Factory(), host=args.host, port=args.port))
    except OSError as e:
        log("cannot listen:", e)
        sys.exit(98)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    log("listening on", args.host, args.port, "pid", os.getpid())
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
