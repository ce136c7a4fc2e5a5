#!/usr/bin/python3
# smtp-bridge.py — the SMTP relay behind Dovecot's submission service in the
# test mail stack (see /work/shared/notes/mailstack.md).
#
# Dovecot submission can only relay over SMTP, not LMTP, so this small
# asyncio server accepts the relayed mail on a loopback port and delivers it
# over LMTP into Dovecot's mailboxes, keeping a few LMTP connections open.  It also injects faults: DIR/faults.json
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
# sends MAIL FROM:<x> AUTH=<user>; and ENHANCEDSTATUSCODES must be
# advertised or Dovecot adds its own codes in front of ours.
#
# Python's standard library only.

import argparse
import asyncio
import email.parser
import email.policy
import json
import os
import signal
import sys
import time


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


async def fault(command, arg, writer):
    """Applies faults.json to command (before it runs): returns None when
    no fault applies, "drop" when the connection was closed, or the reply
    to send instead of running the command."""
    faults = load_faults()
    delay = faults.get("delay", {})
    if isinstance(delay, dict) and command in delay:
        await asyncio.sleep(float(delay[command]))
    if command in faults.get("drop", []):
        log("fault: dropping connection at", command)
        writer.close()
        return "drop"
    reply = None
    if command == "RCPT":
        reply = faults.get("RCPT " + address_of(arg))
    if reply is None:
        reply = faults.get(command)
    if isinstance(reply, str) and reply:
        log("fault:", command, "->", reply)
        return reply
    return None


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
    # The null sender is kept as the literal "<>" (as it is logged).
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


# The SMTP side: a small server of its own rather than aiosmtpd, whose
# per-command machinery made the bridge cost more CPU per relayed mail
# than Dovecot's submission service (docs/performance.md).  It speaks
# what Dovecot's relay client uses: EHLO/HELO, MAIL, RCPT, DATA, RSET,
# NOOP, VRFY and QUIT, one command at a time (no PIPELINING offered).
DATA_LIMIT = 64 * 1024 * 1024
FAULTABLE = ("EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "VRFY",
             "QUIT")


class Envelope:
    def __init__(self):
        self.mail_from = None
        self.rcpt_tos = []


def path_of(arg, keyword):
    """The address of "FROM:<a> params" or "TO:<a> params" (None on a
    syntax error); the null sender stays "<>", as it is logged."""
    if not arg[:len(keyword)].upper() == keyword:
        return None
    rest = arg[len(keyword):].strip()
    if rest.startswith("<"):
        close = rest.find(">")
        if close < 0:
            return None
        address = rest[1:close]
        return address if address else "<>"
    address = rest.split()[0] if rest.split() else ""
    return address or None


async def read_data(reader):
    """The message after DATA up to the lone dot, unstuffed, with the line
    ends as sent; None when it was larger than DATA_LIMIT (read anyway)."""
    lines, size = [], 0
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("client closed the connection in DATA")
        if line in (b".\r\n", b".\n"):
            break
        if line.startswith(b"."):
            line = line[1:]
        size += len(line)
        if size <= DATA_LIMIT:
            lines.append(line)
    return b"".join(lines) if size <= DATA_LIMIT else None


async def relay(envelope, content):
    """Delivers content over LMTP; the reply to the end of DATA."""
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


async def command(verb, arg, state, reader, writer):
    """Runs one command; returns its reply and whether to go on."""
    envelope = state["envelope"]
    if verb == "EHLO" or verb == "HELO":
        if not arg:
            return f"501 Syntax: {verb} hostname", True
        state["greeted"] = True
        state["envelope"] = Envelope()
        if verb == "HELO":
            return "250 localhost", True
        # ENHANCEDSTATUSCODES, or Dovecot puts its own codes in front of
        # ours; no AUTH, or it adds AUTH=<user> to MAIL.
        return ("250-localhost\r\n250-SIZE %d\r\n250-8BITMIME\r\n"
                "250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250 HELP"
                % DATA_LIMIT), True
    if verb == "MAIL":
        if not state["greeted"]:
            return "503 5.5.1 Error: send HELO first", True
        if envelope.mail_from is not None:
            return "503 5.5.1 Error: nested MAIL command", True
        address = path_of(arg, "FROM:")
        if address is None:
            return "501 5.5.4 Syntax: MAIL FROM: <address>", True
        envelope.mail_from = address
        return "250 2.1.0 OK", True
    if verb == "RCPT":
        if envelope.mail_from is None:
            return "503 5.5.1 Error: need MAIL command", True
        address = path_of(arg, "TO:")
        if address is None or address == "<>":
            return "501 5.5.4 Syntax: RCPT TO: <address>", True
        if address.lower() not in load_users():
            return (f"550 5.1.1 <{address}> User doesn't exist: {address}",
                    True)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK", True
    if verb == "DATA":
        if not envelope.rcpt_tos:
            return "503 5.5.1 Error: need RCPT command", True
        writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        content = await read_data(reader)
        state["envelope"] = Envelope()
        if content is None:
            return "552 5.3.4 Error: Too much mail data", True
        reply = await fault("DOT", "", writer)
        if reply == "drop":
            return None, False
        if reply is not None:
            return reply, True
        return await relay(envelope, content), True
    if verb == "RSET":
        state["envelope"] = Envelope()
        return "250 2.0.0 OK", True
    if verb == "NOOP":
        return "250 2.0.0 OK", True
    if verb == "VRFY":
        return ("252 2.0.0 Cannot VRFY user, but will accept message and "
                "attempt delivery"), True
    if verb == "QUIT":
        return "221 2.0.0 Bye", False
    return f'500 5.5.2 Error: command "{verb}" not recognized', True


async def serve(reader, writer):
    """One SMTP session."""
    state = {"greeted": False, "envelope": Envelope()}
    writer.write(b"220 localhost ESMTP smtp-bridge\r\n")
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            text = line.decode("utf-8", "surrogateescape").rstrip("\r\n")
            verb, _, arg = text.partition(" ")
            verb = verb.upper()
            reply = None
            if verb in FAULTABLE:
                reply = await fault(verb, arg, writer)
                if reply == "drop":
                    return
            go_on = True
            if reply is None:
                reply, go_on = await command(verb, arg.strip(), state,
                                             reader, writer)
            if reply is not None:
                writer.write(reply.encode("utf-8", "surrogateescape") +
                             b"\r\n")
                await writer.drain()
            if not go_on:
                break
    except (OSError, ConnectionError, asyncio.LimitOverrunError,
            ValueError) as e:
        log("session ended:", e)
    finally:
        writer.close()


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
        # Lines up to 16 MiB: base64 and HTML bodies can have long ones.
        server = loop.run_until_complete(
            asyncio.start_server(serve, host=args.host, port=args.port,
                                 limit=16 * 1024 * 1024))
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
