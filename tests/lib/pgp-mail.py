#!/usr/bin/python3
# pgp-mail.py — OpenPGP test mail for the integration tests, made with the
# real gpg in the sender's own GnuPG home, and a checker for what intaked
# sends back.
#
#   pgp-mail.py make --home H --from A --subject S --body B SHAPE [options]
#       writes an RFC 5322 message (CRLF) to stdout.  SHAPE is one of
#         pgp-mime        PGP/MIME encrypted and signed (RFC 3156 §6.2)
#         pgp-mime-signed PGP/MIME signed only
#         inline          text/plain with text around an armored block
#         html            text/html with the armored block in <p>/<br>
#         alternative     multipart/alternative, armor in both parts
#         attachment      text plus report.txt.gpg (binary, gpg on a file)
#       --to FPR          encrypt to this key (repeatable; also to self)
#       --sign FPR        sign with this key (default: no signature, for
#                         pgp-mime-signed it is required)
#       --protected S     protected headers: S inside, "..." outside
#       --attach-key      put the sender's public key in the message (in
#                         the encrypted part when encrypted)
#       --autocrypt       add an Autocrypt header with the sender's key
#       --tamper          change the signed text after signing
#       --message-id ID   Message-ID (default: random)
#   pgp-mail.py send --port P --ca CA --user U --password PW FILE
#       submits FILE to cert@example.test (STARTTLS, AUTH, verified TLS)
#   pgp-mail.py send-dir --port P --ca CA --out JSONL [--connections K] FILE...
#       submits the files over K parallel sessions, each as the user its
#       From names; one JSON line per file: message_id, accepted (time)
#   pgp-mail.py check --home H FILE
#       decrypts or verifies a message intaked sent, printing one JSON
#       object: structure, encrypted, decrypted, signed_by (fingerprint of
#       a good signature or null), outer_subject, inner_subject, body,
#       autocrypt (the addr= of the Autocrypt header)
# Debian's /usr/bin/python3; no packages beyond the standard library.
import argparse
import base64
import email
import email.policy
import email.utils
import json
import os
import re
import smtplib
import ssl
import subprocess
import sys
import tempfile
import uuid


def gpg(home, args, data=b"", check=True):
    p = subprocess.run(["gpg", "--homedir", home, "--batch", "--no-tty",
                        "--trust-model", "always", *args],
                       input=data, capture_output=True)
    if check and p.returncode != 0:
        sys.exit("pgp-mail: gpg %s failed: %s" %
                 (" ".join(args), p.stderr.decode(errors="replace")))
    return p


def crlf(text):
    return re.sub(r"\r?\n", "\r\n", text)


def own_fpr(home):
    out = gpg(home, ["--with-colons", "--list-secret-keys"]).stdout.decode()
    for line in out.splitlines():
        if line.startswith("fpr:"):
            return line.split(":")[9]
    sys.exit("pgp-mail: no secret key in " + home)


def export_key(home, armor):
    args = ["--export-options", "export-minimal", "--export", own_fpr(home)]
    if armor:
        args.insert(0, "--armor")
    return gpg(home, args).stdout


def text_part(body, subtype="plain", extra=""):
    return crlf("Content-Type: text/%s; charset=utf-8%s\n"
                "Content-Transfer-Encoding: 8bit\n\n%s\n" %
                (subtype, extra, body))


def key_part(home):
    return crlf("Content-Type: application/pgp-keys; name=\"key.asc\"\n"
                "Content-Disposition: attachment; filename=\"key.asc\"\n\n"
                ) + crlf(export_key(home, True).decode())


def multipart(subtype, parts, params=""):
    b = "b" + uuid.uuid4().hex[:16]
    out = "Content-Type: multipart/%s; boundary=\"%s\"%s\r\n\r\n" % (
        subtype, b, params)
    for p in parts:
        out += "--%s\r\n%s\r\n" % (b, p.rstrip("\r\n"))
    return out + "--%s--\r\n" % b


def encrypt(a, data):
    args = ["--armor", "--encrypt"]
    for fpr in a.to:
        args += ["--recipient", fpr]
    args += ["--recipient", own_fpr(a.home)]
    if a.sign:
        args += ["--sign", "--local-user", a.sign]
    return gpg(a.home, args, data.encode()).stdout.decode()


def make(a):
    inner_extra = ""
    if a.protected:
        inner_extra = "; protected-headers=\"v1\""
    if a.shape in ("pgp-mime", "pgp-mime-signed"):
        entity = text_part(a.body, extra=inner_extra)
        if a.attach_key:
            entity = multipart("mixed", [text_part(a.body), key_part(a.home)],
                               inner_extra)
        if a.protected:
            entity = "Subject: %s\r\n%s" % (a.protected, entity)
        if a.shape == "pgp-mime":
            cipher = encrypt(a, entity)
            body = multipart(
                "encrypted",
                ["Content-Type: application/pgp-encrypted\r\n\r\n"
                 "Version: 1\r\n",
                 "Content-Type: application/octet-stream; "
                 "name=\"encrypted.asc\"\r\n\r\n" + crlf(cipher)],
                "; protocol=\"application/pgp-encrypted\"")
        else:
            # The CRLF before the boundary belongs to the boundary: what is
            # signed ends without it (RFC 3156 §5).
            entity = entity.rstrip("\r\n")
            sig = gpg(a.home, ["--armor", "--detach-sign", "--digest-algo",
                               "SHA512", "--local-user", a.sign],
                      entity.encode()).stdout.decode()
            if a.tamper:
                head, _, text = entity.partition("\r\n\r\n")
                entity = head + "\r\n\r\n" + text.replace("e", "3", 1)
            body = multipart(
                "signed",
                [entity,
                 "Content-Type: application/pgp-signature; "
                 "name=\"signature.asc\"\r\n\r\n" + crlf(sig)],
                "; micalg=pgp-sha512; "
                "protocol=\"application/pgp-signature\"")
    elif a.shape == "attachment":
        # What a user does without a mail plug-in: gpg on a file, then
        # attach report.txt.gpg (binary OpenPGP, base64 in the mail).
        args = ["--encrypt"]
        for fpr in a.to:
            args += ["--recipient", fpr]
        if a.sign:
            args += ["--sign", "--local-user", a.sign]
        cipher = gpg(a.home, args, (a.body + "\n").encode()).stdout
        b64 = base64.encodebytes(cipher).decode()
        body = multipart("mixed", [
            text_part("Hello CERT,\n\nour report is attached, encrypted."),
            crlf("Content-Type: application/octet-stream; "
                 "name=\"report.txt.gpg\"\n"
                 "Content-Disposition: attachment; "
                 "filename=\"report.txt.gpg\"\n"
                 "Content-Transfer-Encoding: base64\n\n" + b64)])
    else:
        armor = encrypt(a, a.body + "\n")
        text = "Hello CERT,\n\nour report is below, encrypted.\n\n" + armor \
            + "\nRegards, the IT team\n"
        html = "<html><body><p>Hello CERT,</p><p>" + "<br>\n".join(
            armor.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").splitlines()) + "</p></body></html>"
        if a.shape == "inline":
            body = text_part(text)
        elif a.shape == "html":
            body = text_part(html, "html")
        else:
            body = multipart("alternative",
                             [text_part(text), text_part(html, "html")])
    headers = [
        "From: <%s>" % a.sender,
        "To: <cert@example.test>",
        "Subject: %s" % ("..." if a.protected else a.subject),
        "Message-ID: <%s>" % (a.message_id or
                              uuid.uuid4().hex + "@hospital.example.test"),
        "Date: " + email.utils.formatdate(localtime=True),
        "MIME-Version: 1.0",
    ]
    if a.autocrypt:
        kd = base64.b64encode(export_key(a.home, False)).decode()
        folded = "\r\n ".join(kd[i:i + 72] for i in range(0, len(kd), 72))
        headers.append("Autocrypt: addr=%s; keydata=\r\n %s" %
                       (a.sender, folded))
    sys.stdout.buffer.write(("\r\n".join(headers) + "\r\n" + body).encode())


def send(a):
    ctx = ssl.create_default_context(cafile=a.ca)
    data = open(a.file, "rb").read()
    with smtplib.SMTP("127.0.0.1", a.port, timeout=30) as s:
        s.starttls(context=ctx)
        s.login(a.user, a.password)
        s.sendmail(a.user, ["cert@example.test"], data)


def send_dir(a):
    """Submits the files over --connections parallel sessions, each file
    as the user its From names; records when each was accepted."""
    import threading
    import time
    ctx = ssl.create_default_context(cafile=a.ca)
    results, errors, lock = [], [], threading.Lock()

    def worker(files):
        sessions = {}
        try:
            for f in files:
                data = open(f, "rb").read()
                msg = email.message_from_bytes(data)
                user = re.search(r"([a-z0-9]+)@", msg["From"]).group(1)
                s = sessions.get(user)
                if s is None:
                    s = smtplib.SMTP("127.0.0.1", a.port, timeout=60)
                    s.starttls(context=ctx)
                    s.login(user + "@example.test", "pw-" + user)
                    sessions[user] = s
                s.sendmail(user + "@example.test", ["cert@example.test"],
                           data)
                with lock:
                    results.append({"message_id": msg["Message-ID"],
                                    "accepted": time.time()})
        except Exception as e:
            with lock:
                errors.append("%s: %s" % (type(e).__name__, e))
        finally:
            for s in sessions.values():
                try:
                    s.quit()
                except Exception:
                    pass

    k = max(1, a.connections)
    threads = [threading.Thread(target=worker, args=(a.files[j::k],))
               for j in range(k)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(a.out, "w") as out:
        for r in results:
            out.write(json.dumps(r) + "\n")
    if errors:
        sys.exit("pgp-mail: " + "; ".join(errors[:3]))


def good_signer(status):
    for line in status.splitlines():
        if line.startswith("[GNUPG:] VALIDSIG "):
            return line.split()[11] if len(line.split()) > 11 else \
                line.split()[2]
    return None


def check(a):
    raw = open(a.file, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    out = {"structure": msg.get_content_type(), "encrypted": False,
           "decrypted": False, "signed_by": None,
           "outer_subject": msg.get("Subject"), "inner_subject": None,
           "body": None, "autocrypt": None}
    ac = msg.get("Autocrypt")
    if ac:
        m = re.search(r"addr=([^;\s]+)", ac)
        out["autocrypt"] = m.group(1) if m else None
    with tempfile.TemporaryDirectory() as tmp:
        status = os.path.join(tmp, "status")
        if msg.get_content_type() == "multipart/encrypted":
            out["encrypted"] = True
            cipher = msg.get_payload()[1].get_payload(decode=True)
            p = gpg(a.home, ["--status-file", status, "--decrypt"], cipher,
                    check=False)
            st = open(status).read()
            out["decrypted"] = "[GNUPG:] DECRYPTION_OKAY" in st
            out["signed_by"] = good_signer(st)
            inner = email.message_from_bytes(p.stdout,
                                             policy=email.policy.compat32)
            out["inner_subject"] = inner.get("Subject")
            part = inner
        elif msg.get_content_type() == "multipart/signed":
            # The signed bytes are the first part exactly as sent.
            boundary = msg.get_boundary().encode()
            pieces = raw.split(b"--" + boundary)
            signed = pieces[1][2:-2]
            sig = msg.get_payload()[1].get_payload(decode=True)
            open(os.path.join(tmp, "sig"), "wb").write(sig)
            open(os.path.join(tmp, "text"), "wb").write(signed)
            gpg(a.home, ["--status-file", status, "--verify",
                         os.path.join(tmp, "sig"), os.path.join(tmp, "text")],
                check=False)
            out["signed_by"] = good_signer(open(status).read())
            part = msg.get_payload()[0]
        else:
            part = msg
        for p in part.walk():
            if p.get_content_type() == "text/plain":
                out["body"] = p.get_payload(decode=True).decode(
                    p.get_content_charset() or "utf-8", errors="replace")
                break
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("shape", choices=["pgp-mime", "pgp-mime-signed", "inline",
                                     "html", "alternative", "attachment"])
    m.add_argument("--home", required=True)
    m.add_argument("--from", dest="sender", required=True)
    m.add_argument("--subject", default="Incident report")
    m.add_argument("--body", required=True)
    m.add_argument("--to", action="append", default=[])
    m.add_argument("--sign")
    m.add_argument("--protected")
    m.add_argument("--attach-key", action="store_true")
    m.add_argument("--autocrypt", action="store_true")
    m.add_argument("--tamper", action="store_true")
    m.add_argument("--message-id")
    s = sub.add_parser("send")
    for opt in ("--port", "--ca", "--user", "--password"):
        s.add_argument(opt, required=True)
    s.add_argument("file")
    d = sub.add_parser("send-dir")
    for opt in ("--port", "--ca", "--out"):
        d.add_argument(opt, required=True)
    d.add_argument("--connections", type=int, default=4)
    d.add_argument("files", nargs="+")
    c = sub.add_parser("check")
    c.add_argument("--home", required=True)
    c.add_argument("file")
    a = ap.parse_args()
    {"make": make, "send": send, "send-dir": send_dir,
     "check": check}[a.cmd](a)


if __name__ == "__main__":
    main()
