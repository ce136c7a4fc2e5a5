#!/usr/bin/python3
# mailstack-util.py — small helpers for mailstack.sh that bash does badly.
#
#   ports N            print N distinct free ports in 20000-32767 (below
#                      Linux's ephemeral range, so never a client's source
#                      port), each bindable on 127.0.0.1 and, if the host
#                      has IPv6 loopback, on ::1
#   has-ipv6           exit 0 if ::1 can be bound
#   wait --timeout S --ca CA [--pid P]... SPEC...
#                      wait until every SPEC answers with its greeting;
#                      SPEC is plain:PORT:PREFIX or tls:PORT:PREFIX (TLS
#                      handshake verified against CA first).  A TCP connect
#                      is not enough: Dovecot's master listens before its
#                      login processes exist.  Fails at once if a --pid dies.
import argparse
import os
import random
import socket
import ssl
import sys
import time


def has_ipv6():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


def bindable(port, v6):
    families = [(socket.AF_INET, "127.0.0.1")]
    if v6:
        families.append((socket.AF_INET6, "::1"))
    for fam, addr in families:
        s = socket.socket(fam, socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def cmd_ports(n):
    v6 = has_ipv6()
    chosen = []
    tries = 0
    while len(chosen) < n:
        tries += 1
        if tries > 2000:
            sys.exit("mailstack-util: no free ports found")
        p = random.randint(20000, 32767)
        if p not in chosen and bindable(p, v6):
            chosen.append(p)
    print(" ".join(map(str, chosen)))


def greet(kind, port, prefix, ctx):
    s = socket.create_connection(("127.0.0.1", port), timeout=1)
    try:
        if kind == "tls":
            s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
        s.settimeout(1)
        data = b""
        while b"\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                return False
            data += chunk
        return data.decode("latin-1").startswith(prefix)
    finally:
        s.close()


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def cmd_wait(a):
    ctx = ssl.create_default_context(cafile=a.ca)
    # Readiness only: the chain is checked, the name is not, so a stack
    # deliberately serving a wrong-name certificate still counts as up.
    ctx.check_hostname = False
    pending = []
    for spec in a.spec:
        kind, port, prefix = spec.split(":", 2)
        pending.append((kind, int(port), prefix))
    deadline = time.monotonic() + a.timeout
    while pending:
        for pid in a.pid:
            if not alive(pid):
                sys.exit(f"mailstack-util: process {pid} exited")
        still = []
        for kind, port, prefix in pending:
            try:
                ok = greet(kind, port, prefix, ctx)
            except (OSError, ssl.SSLError):
                ok = False
            if not ok:
                still.append((kind, port, prefix))
        pending = still
        if not pending:
            break
        if time.monotonic() > deadline:
            sys.exit("mailstack-util: no greeting on "
                     + ", ".join(f"{k}:{p}" for k, p, _ in pending))
        time.sleep(0.02)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("ports")
    sp.add_argument("n", type=int)
    sub.add_parser("has-ipv6")
    sw = sub.add_parser("wait")
    sw.add_argument("--timeout", type=float, default=15)
    sw.add_argument("--ca", required=True)
    sw.add_argument("--pid", type=int, action="append", default=[])
    sw.add_argument("spec", nargs="+")
    a = p.parse_args()
    if a.cmd == "ports":
        cmd_ports(a.n)
    elif a.cmd == "has-ipv6":
        sys.exit(0 if has_ipv6() else 1)
    else:
        cmd_wait(a)


if __name__ == "__main__":
    main()
