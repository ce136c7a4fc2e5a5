#!/bin/bash
# t18-config: `intaked -n` accepts a good configuration and rejects broken
# ones (unknown key, value out of range, secret file readable by others,
# broken template) with a non-zero exit and "file:line: what" messages.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 23
[ -x "$INTAKED_BUILD/intaked" ] || BAIL_OUT "no $INTAKED_BUILD/intaked"

# No servers are needed: -n only checks.
IMAPS_PORT=993 SMTP_PORT=587
mkdir -p "$TEST_DIR/ms/log"
mailstack__certs "$TEST_DIR/ms" || BAIL_OUT "openssl failed"
CA_FILE=$TEST_DIR/ms/tls/ca.pem
intaked_config
good=$INTAKED_CONF

check() {
	# check CONF: runs intaked -n, leaves the output in $out, returns its status
	out=$(timeout 30 "$INTAKED_BUILD/intaked" -n -c "$1" 2>&1)
}

check "$good"
rc=$?
ok $rc "intaked -n accepts the test configuration"
[ $rc = 0 ] || diag "$out"

# Unknown key.
intaked_config "$TEST_DIR/unknown.conf" imap.no_such_key=1
check "$TEST_DIR/unknown.conf"
isnt $? 0 "an unknown key is an error"
line=$(grep -n 'no_such_key' "$TEST_DIR/unknown.conf" | cut -d: -f1)
like "$out" "unknown\.conf:$line:" "... reported as file:line ($line)"
like "$out" 'no_such_key' "... naming the key"

# Out of range.
intaked_config "$TEST_DIR/range.conf" imap.poll_interval=1
check "$TEST_DIR/range.conf"
isnt $? 0 "a value out of range is an error"
line=$(grep -n 'poll_interval' "$TEST_DIR/range.conf" | cut -d: -f1)
like "$out" "range\.conf:$line:" "... reported as file:line ($line)"
like "$out" 'poll_interval' "... naming the key"

# Wrong type.
intaked_config "$TEST_DIR/type.conf" 'imap.port="imaps"'
check "$TEST_DIR/type.conf"
isnt $? 0 "a value of the wrong type is an error"
line=$(grep -n 'port = "imaps"' "$TEST_DIR/type.conf" | cut -d: -f1)
like "$out" "type\.conf:$line:" "... reported as file:line ($line)"

# Secret file readable by others.
cp "$TEST_DIR/imap.password" "$TEST_DIR/open.password"
chmod 644 "$TEST_DIR/open.password"
intaked_config "$TEST_DIR/secret.conf" "imap.password_file=\"$TEST_DIR/open.password\""
check "$TEST_DIR/secret.conf"
isnt $? 0 "a 0644 password file is an error"
like "$out" 'open\.password' "... naming the file"
line=$(grep -n 'open.password' "$TEST_DIR/secret.conf" | cut -d: -f1)
like "$out" "secret\.conf:$line:" "... reported as file:line ($line)"

# Broken template: a copy of the shipped templates with one unclosed tag.
cp -R "${INTAKED_TEMPLATES:-$REPO_ROOT/templates}" "$TEST_DIR/templates"
victim=$(find "$TEST_DIR/templates/en" -type f | sort | head -n 1)
if [ -n "$victim" ]; then
	printf '%s\n' "" "This line has an unclosed {{#section tag and {{unknown_variable_xyz}}." >>"$victim"
	vline=$(wc -l <"$victim")
	intaked_config "$TEST_DIR/tmpl.conf" "templates=\"$TEST_DIR/templates\""
	check "$TEST_DIR/tmpl.conf"
	isnt $? 0 "a broken template is an error"
	like "$out" "$(basename "$victim"):[0-9]+:" "... reported as template file:line"
	like "$out" "$(basename "$victim"):$vline:" "... with the right line ($vline)"
else
	skip "broken template" "no templates in $REPO_ROOT/templates/en" 3
fi

# The questionnaire is checked with the rest: the shipped one passes, a
# field with a misspelt type is reported as file:line.
intaked_config "$TEST_DIR/q.conf" "questionnaire=\"$REPO_ROOT/conf/questionnaire.conf\""
check "$TEST_DIR/q.conf"
ok $? "the shipped questionnaire checks"
like "$out" 'questionnaire OK' "... and -n says so"
sed '0,/type = "yesno";/s//type = "yesnoo";/' "$REPO_ROOT/conf/questionnaire.conf" >"$TEST_DIR/bad-questionnaire.conf"
qline=$(grep -n 'type = "yesnoo"' "$TEST_DIR/bad-questionnaire.conf" | cut -d: -f1)
intaked_config "$TEST_DIR/badq.conf" "questionnaire=\"$TEST_DIR/bad-questionnaire.conf\""
check "$TEST_DIR/badq.conf"
isnt $? 0 "a broken questionnaire is an error"
like "$out" "bad-questionnaire\.conf:$qline:" "... reported as file:line ($qline)"

# providers.conf too: the shipped one passes (with the shipped
# questionnaire's needs), a misspelt service is reported as file:line.
intaked_config "$TEST_DIR/p.conf" "questionnaire=\"$REPO_ROOT/conf/questionnaire.conf\"" \
	"providers=\"$REPO_ROOT/conf/providers.conf\""
check "$TEST_DIR/p.conf"
ok $? "the shipped providers.conf checks"
like "$out" 'providers OK' "... and -n says so"
sed '0,/"forensics"/s//"forensic"/' "$REPO_ROOT/conf/providers.conf" >"$TEST_DIR/bad-providers.conf"
pline=$(grep -n '"forensic"' "$TEST_DIR/bad-providers.conf" | cut -d: -f1)
intaked_config "$TEST_DIR/badp.conf" "providers=\"$TEST_DIR/bad-providers.conf\""
check "$TEST_DIR/badp.conf"
isnt $? 0 "a broken providers.conf is an error"
like "$out" "bad-providers\.conf:$pline: service \"forensic\"" "... reported as file:line ($pline)"
