#!/bin/bash
# t20-pgp: OpenPGP end to end through Dovecot and the SMTP server.  Mail
# made by gpg (PGP/MIME, inline, HTML, multipart/alternative, a .gpg
# attachment, signed only, bad signature, unknown signer, wrong recipient)
# and by neomutt (PGP/MIME, driven in a private tmux server) becomes cases
# with the decrypted text;
# keys arriving inside the encrypted part, by Autocrypt or attached are
# pinned to their address; a different key later is a flagged conflict;
# acknowledgements are signed by the CERT key and encrypted to a pinned
# requester key (checked with gpg in the requester's home); encrypted mail
# from someone whose key is unknown gets a key request and its ack is
# held; mail encrypted to the wrong key is stored, flagged and answered
# with the CERT key; with crypto.encrypt = "required" even a plain report
# gets a key request instead of its acknowledgement.
. "$(dirname "$0")/../lib/test-lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
# Under valgrind too: test-lib's wrapper keeps GPGME's spawn of gpg
# working (see _valgrind_prefix).
plan 76

PGP_MAIL=$TEST_LIB_DIR/pgp-mail.py
G=$TEST_DIR/g
mkdir -m 700 "$G"

# --- keys: one GnuPG home each, short paths (gpg-agent socket limit) ---------
gpg_in() { # HOME ARGS...
	local h=$1
	shift
	gpg --homedir "$h" --batch --no-tty "$@"
}
new_home() { # NAME UID -> prints the fingerprint
	mkdir -m 700 "$G/$1"
	gpg_in "$G/$1" --passphrase '' --quick-gen-key "$2" future-default default never >/dev/null 2>&1
	gpg_in "$G/$1" --with-colons --list-secret-keys 2>/dev/null |
		awk -F: '/^fpr:/ {print $10; exit}'
}
share() { # FROM TO: FROM's public key into TO, certified there
	gpg_in "$G/$1" --armor --export | gpg_in "$G/$2" --import >/dev/null 2>&1
	gpg_in "$G/$2" --quick-lsign-key "$(gpg_in "$G/$1" --with-colons --list-secret-keys 2>/dev/null |
		awk -F: '/^fpr:/ {print $10; exit}')" >/dev/null 2>&1
}
stop_agents() {
	local h
	for h in "$G"/*/; do gpgconf --homedir "$h" --kill all 2>/dev/null; done
	[ -S "$TEST_DIR/tmux.sock" ] && tmux -S "$TEST_DIR/tmux.sock" kill-server 2>/dev/null
	return 0
}

# The agents outlive us unless stopped; then test-lib's cleanup runs.
trap 'rc=$?; stop_agents; (exit $rc); _test_cleanup' EXIT

CERT_FPR=$(new_home c 'Example Test CERT <cert@example.test>')
R1=$(new_home r1 'Req One <req1@example.test>')
R1B=$(new_home r1b 'Req One New <req1@example.test>')
R2=$(new_home r2 'Req Two <req2@example.test>')
R3=$(new_home r3 'Req Three <req3@example.test>')
R4=$(new_home r4 'Req Four <req4@example.test>')
P2=$(new_home p2 'Prov Two <prov2@example.test>')
OTHER=$(new_home x 'Not the CERT <cert@example.test>')
for u in r1 r1b r2 r3 r4 p2; do share c "$u"; done
share x r4 # req4 encrypts to the wrong key
is "${#CERT_FPR}" 40 "CERT key generated"

stack_start
intaked_config "crypto.gnupg_home=\"$G/c\"" "crypto.key_fingerprint=\"$CERT_FPR\""
out=$("$INTAKED_BUILD/intaked" -n -c "$INTAKED_CONF" 2>&1)
like "$out" "OpenPGP key $CERT_FPR usable" "intaked -n checks the CERT key"
intaked_start || BAIL_OUT "intaked did not start"

submit() { # USER FILE
	"$PY" "$PGP_MAIL" send --port "$SMTP_PORT" --ca "$CA_FILE" \
		--user "$1@example.test" --password "pw-$1" "$2"
}
mail() { # FILE SHAPE HOME FROM_USER ARGS...
	local file=$1 shape=$2 home=$3 user=$4
	shift 4
	"$PY" "$PGP_MAIL" make "$shape" --home "$G/$home" \
		--from "$user@example.test" "$@" >"$TEST_DIR/$file"
}
# ack_file USER MESSAGE_ID NAME: fetches the answer to MESSAGE_ID from
# USER's INBOX into $TEST_DIR/NAME; fails when there is none (yet).
ack_file() {
	local line
	line=$(ack_of "$1" "<$2>")
	[ -n "$line" ] || return 1
	imap_read "$1" fetch --uid "$(json_eval 'd["uid"]' <<<"$line")" >"$TEST_DIR/$3"
}
check() { # HOME FILE
	"$PY" "$PGP_MAIL" check --home "$G/$1" "$TEST_DIR/$2"
}
case_of() { # MESSAGE_ID: the case of the incoming message with it
	"$PY" -c '
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT case_id FROM messages WHERE message_id = ?", (sys.argv[2],)).fetchone()
print(row[0] if row and row[0] else "")
' "$TEST_DIR/intaked.db" "$1"
}
crypto_of() { # MESSAGE_ID EXPR: EXPR over the crypto object of that message
	local id
	id=$(case_of "$1")
	case_show "$id" | json_eval "[m['crypto'] for m in d['messages'] if mid(m['message_id']) == '$1'][0]$2"
}

# --- 1. PGP/MIME encrypted+signed, protected headers, key inside -----------
mail m1 pgp-mime r1 req1 --to "$CERT_FPR" --sign "$R1" --attach-key \
	--protected "Ransomware on the PACS server" --message-id m1@h.example.test \
	--body "Since 07:00 all PACS images are encrypted, ransom note README.txt. Server isolated."
submit req1 "$TEST_DIR/m1"
ok $? "req1: PGP/MIME encrypted and signed report submitted"
wait_for 'ack_file req1 m1@h.example.test ack1' 30
ok $? "req1: an answer arrives"
a1=$(check r1 ack1)
is "$(json_eval 'd["structure"]' <<<"$a1")" multipart/encrypted "ack 1 is PGP/MIME encrypted (req1's key was learnt)"
is "$(json_eval 'd["decrypted"]' <<<"$a1")" true "ack 1 decrypts with req1's key"
is "$(json_eval 'd["signed_by"]' <<<"$a1")" "$CERT_FPR" "ack 1 carries a good CERT signature"
is "$(json_eval 'd["outer_subject"]' <<<"$a1")" "..." "ack 1 outer Subject is neutral"
like "$(json_eval 'd["inner_subject"]' <<<"$a1")" 'Ransomware on the PACS server' "ack 1 protected Subject quotes the real subject"
is "$(json_eval 'd["autocrypt"]' <<<"$a1")" cert@example.test "ack 1 has an Autocrypt header for the CERT"
c1=$(case_of m1@h.example.test)
isnt "$c1" "" "report 1 opened a case"
is "$(case_show "$c1" | json_eval 'd["subject"]')" "Ransomware on the PACS server" "case subject is the protected Subject"
is "$(crypto_of m1@h.example.test '["decrypted"]')" true "crypto: decrypted"
is "$(crypto_of m1@h.example.test '["signature"]')" valid "crypto: signature valid"
is "$(crypto_of m1@h.example.test '["signer_pinned"]')" yes "crypto: the signer is the pinned key"
keys=$(intakectl keys --json)
is "$(json_eval "[k['state'] for k in d if k['address'] == 'req1@example.test']" <<<"$keys")" '["pinned"]' "req1's key is pinned"
is "$(json_eval "[k['fingerprint'] for k in d if k['address'] == 'req1@example.test'][0]" <<<"$keys")" "$R1" "the pinned key is req1's"
text=$(intakectl case show "$c1")
like "$text" 'crypto: encrypted, decrypted; signature valid by [0-9A-F]{40}, pinned key' "case show prints the crypto status"
like "$text" 'key_pinned' "case timeline records the pinned key"
like "$(intakectl template render key_request --case "$c1")" 'BEGIN PGP PUBLIC KEY BLOCK' \
	"template render key_request shows the real CERT key"

# --- 2. inline PGP in text/plain with an Autocrypt header ----------------
mail m2 inline r3 req3 --to "$CERT_FPR" --sign "$R3" --autocrypt \
	--message-id m2@h.example.test --subject "Phishing wave" \
	--body "Twelve staff entered passwords on a fake webmail page."
submit req3 "$TEST_DIR/m2"
wait_for 'ack_file req3 m2@h.example.test ack2' 30
ok $? "req3: inline PGP report answered"
a2=$(check r3 ack2)
is "$(json_eval 'd["decrypted"]' <<<"$a2")" true "ack 2 is encrypted to the Autocrypt key and decrypts"
is "$(json_eval 'd["signed_by"]' <<<"$a2")" "$CERT_FPR" "ack 2 CERT signature verifies"
is "$(crypto_of m2@h.example.test '["parts"][0]["what"]')" inline_encrypted "crypto: inline part"
is "$(crypto_of m2@h.example.test '["keys"][0]["source"]')" autocrypt "crypto: key from Autocrypt"

# --- 3. HTML and multipart/alternative inline PGP from req1 (key pinned) -----
mail m3 html r1 req1 --to "$CERT_FPR" --sign "$R1" --message-id m3@h.example.test \
	--subject "Webmail report" --body "Our VPN appliance shows unknown admin logins."
submit req1 "$TEST_DIR/m3"
mail m4 alternative r1 req1 --to "$CERT_FPR" --message-id m4@h.example.test \
	--subject "Outlook report" --body "A laptop with patient lists was stolen from a car."
submit req1 "$TEST_DIR/m4"
wait_for 'ack_file req1 m3@h.example.test ack3 && ack_file req1 m4@h.example.test ack4' 30
ok $? "req1: HTML and multipart/alternative reports answered"
is "$(crypto_of m3@h.example.test '["decrypted"]')" true "crypto: armor inside text/html decrypted"
is "$(crypto_of m4@h.example.test '["decrypted"]')" true "crypto: multipart/alternative decrypted"
c4=$(case_of m4@h.example.test)
is "$(check r1 ack4 | json_eval 'd["decrypted"]')" true "ack 4 decrypts with req1's key"

mail m12 attachment r3 req3 --to "$CERT_FPR" --sign "$R3" --message-id m12@h.example.test \
	--subject "Attached report" --body "The infusion pump VLAN was reachable from guest Wi-Fi."
submit req3 "$TEST_DIR/m12"
wait_for 'ack_file req3 m12@h.example.test ack12' 30
ok $? "req3: report.txt.gpg attachment answered"
is "$(crypto_of m12@h.example.test '["parts"][0]["what"]')" attachment_encrypted "crypto: encrypted attachment decrypted"
is "$(crypto_of m12@h.example.test '["signature"]')" valid "crypto: its signature is valid"

# --- 4. signed only, bad signature, unknown signer (clear mail) --------------
mail m5 pgp-mime-signed r1 req1 --sign "$R1" --message-id m5@h.example.test \
	--subject "Signed note" --body "We restored the server from backup."
submit req1 "$TEST_DIR/m5"
mail m6 pgp-mime-signed r1 req1 --sign "$R1" --tamper --message-id m6@h.example.test \
	--subject "Tampered note" --body "Please check these event logs."
submit req1 "$TEST_DIR/m6"
mail m7 pgp-mime-signed p2 prov2 --sign "$P2" --message-id m7@h.example.test \
	--subject "Unknown signer" --body "Our firewall logs show scanning."
submit prov2 "$TEST_DIR/m7"
wait_for 'ack_file req1 m5@h.example.test ack5 && ack_file req1 m6@h.example.test ack6 && ack_file prov2 m7@h.example.test ack7' 30
ok $? "signed-only reports answered"
is "$(crypto_of m5@h.example.test '["signature"]')" valid "crypto: signed only, valid"
is "$(crypto_of m6@h.example.test '["signature"]')" bad "crypto: tampered, bad"
is "$(crypto_of m7@h.example.test '["signature"]')" unknown_key "crypto: unknown signer"
is "$(check r1 ack5 | json_eval 'd["structure"]')" multipart/encrypted "ack to req1 (key pinned) is encrypted even for clear mail"
a7=$(check p2 ack7)
is "$(json_eval 'd["structure"]' <<<"$a7")" multipart/signed "ack to clear mail without a key is signed, not encrypted"
is "$(json_eval 'd["signed_by"]' <<<"$a7")" "$CERT_FPR" "its CERT signature verifies"

# --- 5. wrong recipient: encrypted to a key the CERT does not have -----------
mail m8 pgp-mime r4 req4 --to "$OTHER" --message-id m8@h.example.test \
	--subject "Secret details" --body "The attacker used account svc_backup."
submit req4 "$TEST_DIR/m8"
wait_for 'ack_file req4 m8@h.example.test ack8' 30
ok $? "req4: undecryptable report answered"
a8=$(check r4 ack8)
b8=$(json_eval 'd["body"]' <<<"$a8")
like "$b8" "$(sed 's/..../& /g; s/ $//' <<<"$CERT_FPR" | cut -c1-24)" "key request carries the CERT fingerprint"
like "$b8" 'BEGIN PGP PUBLIC KEY BLOCK' "key request carries the CERT public key"
unlike "$b8$(json_eval 'd["outer_subject"]' <<<"$a8")" 'Secret details|svc_backup' "key request quotes nothing"
c8=$(case_of m8@h.example.test)
like "$(case_show "$c8" | json_eval "[e['type'] for e in d['events']]")" 'undecryptable' "the case is flagged undecryptable"
is "$(crypto_of m8@h.example.test '["decrypted"]')" false "crypto: not decrypted"
stored=$("$PY" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
raw = db.execute("SELECT raw FROM messages WHERE message_id = ?", ("m8@h.example.test",)).fetchone()[0]
sent = open(sys.argv[2], "rb").read().replace(b"\r\n", b"\n")
raw = raw.replace(b"\r\n", b"\n")
# The servers add trace headers on top; all the rest is as sent.
print("same" if raw.endswith(sent) else "differs")
' "$TEST_DIR/intaked.db" "$TEST_DIR/m8")
is "$stored" same "the undecryptable message is stored as it came"
# A reply on that case, again encrypted to the wrong key: asked again.
mail m13 pgp-mime r4 req4 --to "$OTHER" --message-id m13@h.example.test \
	--subject "Re: [CERT-$c8] Secret details" --body "Also svc_print was used."
submit req4 "$TEST_DIR/m13"
wait_for 'ack_file req4 m13@h.example.test ack13' 30
ok $? "req4: an undecryptable reply on the case is answered"
is "$(case_of m13@h.example.test)" "$c8" "the reply went to the same case"
like "$(check r4 ack13 | json_eval 'd["body"]')" 'could not decrypt' "with the key request"

# --- 6. neomutt PGP/MIME from req2, whose key the CERT lacks -----------------
# Batch mode drops crypto: drive the real client in a private tmux server.
cat >"$TEST_DIR/muttrc" <<EOF
set smtp_url = "smtp://req2%40example.test@127.0.0.1:$SMTP_PORT/"
set smtp_pass = "pw-req2"
set ssl_starttls = yes
set ssl_force_tls = yes
set ssl_ca_certificates_file = "$CA_FILE"
set from = "req2@example.test"
set use_from = yes
set crypt_use_gpgme = yes
set pgp_default_key = "$R2"
set crypt_autoencrypt = yes
set crypt_autosign = yes
set pgp_self_encrypt = yes
set record = ""
set copy = no
set tmpdir = "$TEST_DIR"
set folder = "$TEST_DIR"
set editor = true
set edit_headers = yes
set autoedit = yes
set abort_unmodified = no
EOF
printf 'Dear CERT,\n\nour lab system sends data to an unknown host.\n' >"$TEST_DIR/nm-body"
neomutt_sent=1
if command -v neomutt >/dev/null && command -v tmux >/dev/null; then
	tmux -S "$TEST_DIR/tmux.sock" new-session -d -x 160 -y 40 \
		"env HOME=$TEST_DIR GNUPGHOME=$G/r2 neomutt -n -F $TEST_DIR/muttrc -s 'Lab system exfiltration' -i $TEST_DIR/nm-body cert@example.test"
	if wait_for 'tmux -S "$TEST_DIR/tmux.sock" capture-pane -p 2>/dev/null | grep -q "Encrypt"' 30; then
		# Under load a key pressed while the compose screen is still
		# being drawn can be lost: press again until neomutt is gone.
		for try in 1 2 3 4 5 6; do
			tmux -S "$TEST_DIR/tmux.sock" send-keys y 2>/dev/null
			if wait_for '! tmux -S "$TEST_DIR/tmux.sock" has-session 2>/dev/null' 10; then
				neomutt_sent=0
				break
			fi
		done
	fi
	[ "$neomutt_sent" = 0 ] ||
		diag "$(tmux -S "$TEST_DIR/tmux.sock" capture-pane -p 2>/dev/null)"
	tmux -S "$TEST_DIR/tmux.sock" kill-server 2>/dev/null
fi
ok "$neomutt_sent" "req2: neomutt sent a PGP/MIME encrypted report"
wait_for '[ "$(mailbox_count req2)" -ge 1 ]' 30
ok $? "req2: an answer arrives"
line=$(imap_read req2 list 2>/dev/null | head -n 1)
imap_read req2 fetch --uid "$(json_eval 'd["uid"]' <<<"$line")" >"$TEST_DIR/ack9"
a9=$(check r2 ack9)
is "$(json_eval 'd["structure"]' <<<"$a9")" multipart/signed "req2 gets a signed key request in clear"
like "$(json_eval 'd["outer_subject"]' <<<"$a9")" 'OpenPGP key' "it asks for req2's key"
unlike "$(json_eval 'd["body"]' <<<"$a9")$(json_eval 'd["outer_subject"]' <<<"$a9")" 'Lab system|exfiltration|unknown host' "nothing of the report in clear"
c9=$(intakectl cases --json | json_eval "[c['id'] for c in d if req(c) == 'req2@example.test'][0]")
is "$(case_show "$c9" | json_eval 'd["subject"]')" "Lab system exfiltration" "neomutt report decrypted: case subject"
held=$(intakectl outbox --json | json_eval "[o['kind'] for o in d if o['state'] == 'held' and o['case'] == '$c9']")
is "$held" '["ack"]' "the acknowledgement is held, not sent in clear"
# req2 answers the key request with a signed mail carrying its key: the
# key is pinned and the held acknowledgement goes out, encrypted to it.
mail m9b pgp-mime-signed r2 req2 --sign "$R2" --autocrypt --message-id m9b@h.example.test \
	--subject "Our key" --body "Here is our key, as you asked."
submit req2 "$TEST_DIR/m9b"
ack9_state() {
	intakectl outbox --json | json_eval "[o['state'] for o in d if o['kind'] == 'ack' and o['case'] == '$c9']"
}
wait_for '[ "$(ack9_state)" = "[\"sent\"]" ]' 30
ok $? "once req2's key is pinned the held acknowledgement is sent"
ack9id=$(intakectl outbox --json | json_eval "[o['message_id'] for o in d if o['kind'] == 'ack' and o['case'] == '$c9'][0]")
wait_for 'imap_read req2 list | grep -qF "$ack9id"' 30
line=$(imap_read req2 list | grep -F "$ack9id" | head -n 1)
imap_read req2 fetch --uid "$(json_eval 'd["uid"]' <<<"$line")" >"$TEST_DIR/ack9b"
a9b=$(check r2 ack9b)
is "$(json_eval 'd["structure"]' <<<"$a9b")" multipart/encrypted "the released acknowledgement is encrypted"
is "$(json_eval 'd["decrypted"]' <<<"$a9b")" true "req2 decrypts it"
like "$(case_show "$c9" | json_eval "[e['type'] for e in d['events']]")" 'reply_released' "the release is on the case timeline"

# --- 7. a different key for req1 later: conflict, staff told ----------------
mail m10 pgp-mime-signed r1b req1 --sign "$R1B" --autocrypt --message-id m10@h.example.test \
	--subject "From my new laptop" --body "Another question about the incident."
submit req1 "$TEST_DIR/m10"
wait_for '[ "$(mailbox_count staff)" -ge 1 ]' 30
ok $? "staff get a note about the key conflict"
like "$(imap_read staff list | json_eval 'd["subject"]')" 'Key conflict for req1@example.test' "the note names the address"
keys=$(intakectl keys --json)
is "$(json_eval "sorted(k['state'] for k in d if k['address'] == 'req1@example.test')" <<<"$keys")" '["conflict", "pinned"]' "the new key is recorded as conflict, the old stays pinned"
c10=$(case_of m10@h.example.test)
like "$(case_show "$c10" | json_eval "[e['type'] for e in d['events']]")" 'key_conflict' "the case is flagged with the key conflict"
# Staff checked by telephone: the new key is req1's.
like "$(intakectl key pin req1@example.test "$R1B")" "key $R1B pinned" "staff pin the new key"
is "$(intakectl keys --address req1@example.test --json | json_eval "[(k['fingerprint'] == '$R1B', k['state']) for k in d]")" \
	'[[true, "pinned"], [false, "superseded"]]' "the new key is pinned, the old one superseded"

intaked_stop
ok $? "intaked stops cleanly"

# --- 8. crypto.encrypt = "required": no case content in clear to anyone ------
intaked_config "crypto.gnupg_home=\"$G/c\"" "crypto.key_fingerprint=\"$CERT_FPR\"" \
	'crypto.encrypt="required"'
intaked_start || BAIL_OUT "intaked did not restart"
send_mail prov3 --header "Subject: Clear report" --header "Message-ID: <m11@h.example.test>" \
	--body "Our mail gateway quarantined 300 phishing mails this morning."
wait_for 'ack_file prov3 m11@h.example.test ack11' 30
ok $? "prov3: a plain report is answered"
a11=$(imap_read prov3 list | json_eval 'd["subject"]')
like "$a11" 'OpenPGP key' "required: the answer is a key request"
c11=$(case_of m11@h.example.test)
held=$(intakectl outbox --json | json_eval "[o['kind'] for o in d if o['state'] == 'held' and o['case'] == '$c11']")
is "$held" '["ack"]' "required: the acknowledgement is held"
intaked_stop

# --- 9. an introduction is encrypted to the provider's key --------------
cat >"$TEST_DIR/providers.conf" <<EOF
providers = (
	{
		id = "prov-two";
		name = "Prov Two Volunteers";
		contacts = [ "prov2@example.test" ];
		fingerprint = "$P2";
		services = [ "pentest" ];
		regions = [ "*" ];
		languages = [ "en" ];
		capacity = { max_open_cases = 3; };
	}
);
EOF
# The admin imports the provider's public key into the CERT's home.
gpg_in "$G/p2" --armor --export | gpg_in "$G/c" --import >/dev/null 2>&1
intaked_config "crypto.gnupg_home=\"$G/c\"" "crypto.key_fingerprint=\"$CERT_FPR\"" \
	"questionnaire=\"$REPO_ROOT/conf/questionnaire.conf\"" \
	"providers=\"$TEST_DIR/providers.conf\""
intaked_start || BAIL_OUT "intaked did not restart"
is "$(intakectl keys --json | json_eval "[k['state'] for k in d if k['kind'] == 'provider']")" \
	'["usable"]' "keys: the provider's key is in the CERT keyring"
send_mail req3 --header "Subject: Pentest please" --header "Message-ID: <s9-report@h.example.test>" \
	--body "Hello, there is no incident. We would like a pentest. Jan Peeters, AZ Drie"
wait_for '[ -n "$(ack_of req3 "<s9-report@h.example.test>")" ]' 30
c12=$(case_of s9-report@h.example.test)
last=$(ack_of req3 "<s9-report@h.example.test>")
for round in 1 2 3; do
	[ "$(case_show "$c12" | json_eval 'd["state"]')" = waiting ] || break
	imap_read req3 fetch --uid "$(json_eval 'd["uid"]' <<<"$last")" >"$TEST_DIR/q12"
	check r3 q12 | json_eval 'd["body"]' |
		"$PY" "$TEST_LIB_DIR/answer-mail.py" numbered 'organisation=AZ Drie' \
			'contact person=Jan Peeters' 'phone=+32 475 55 01 23' \
			'kind of incident=no incident' 'need from us=pentest' >"$TEST_DIR/a12-$round.txt"
	send_mail req3 --header "Subject: Re: answers" \
		--header "Message-ID: <s9-answer$round@h.example.test>" \
		--header "In-Reply-To: $(json_eval 'd["message-id"]' <<<"$last")" \
		--body "@$TEST_DIR/a12-$round.txt"
	wait_for '[ -n "$(ack_of req3 "<s9-answer'$round'@h.example.test>")" ]' 30
	last=$(ack_of req3 "<s9-answer$round@h.example.test>")
done
consent_request() {
	intakectl outbox --json | json_eval "[o['message_id'] for o in d if o['kind'] == 'consent_request' and o['case'] == '$c12']"
}
wait_for '[ "$(consent_request)" != "[]" ]' 30
ok $? "the support case gets a consent request"
send_mail req3 --header "Subject: Re: consent" --header "Message-ID: <s9-consent@h.example.test>" \
	--header "In-Reply-To: <$(consent_request | json_eval 'd[0]')>" --body "Yes, we consent."
intro12_line() {
	imap_read prov2 list | grep -F "intaked.$c12." | head -n 1
}
wait_for '[ -n "$(intro12_line)" ]' 30
ok $? "the provider gets the introduction"
imap_read prov2 fetch --uid "$(json_eval 'd["uid"]' <<<"$(intro12_line)")" >"$TEST_DIR/intro12"
i12=$(check p2 intro12)
is "$(json_eval 'd["structure"]' <<<"$i12")" multipart/encrypted "the introduction is encrypted"
is "$(json_eval 'd["decrypted"]' <<<"$i12")" true "the provider decrypts it with its key"
like "$(json_eval 'd["body"]' <<<"$i12")" 'AZ Drie' "and reads the consented fields"
intaked_stop
stop_agents

