#!/bin/bash
# install-deps.sh — install every Debian 12 package needed to build, test
# (make check), run the demo (make demo) and the benchmark (make bench).
#
# Does nothing (and needs no network) when all packages are installed
# already; otherwise one `apt-get update` and one `apt-get install`, through
# sudo when not root.
#
# The dovecot-* packages may start a system Dovecot (143/993/587 and
# /run/dovecot) from their postinst.  It does not matter: the test stack
# (tests/lib/mailstack.sh) runs its own instance with its own config,
# base_dir, state_dir and ports 20000-32767.  Stop the system one if you
# like (`systemctl disable --now dovecot`); this script leaves it alone.
set -euo pipefail

PACKAGES=(
	# build
	build-essential pkg-config
	libetpan-dev libgmime-3.0-dev libgpgme-dev libsqlite3-dev
	libconfig-dev libgnutls28-dev libjson-glib-dev libsystemd-dev
	libxml2-dev libsasl2-dev libsasl2-modules libdpkg-perl nettle-dev
	# the test mail stack
	dovecot-core dovecot-imapd dovecot-lmtpd dovecot-submissiond
	python3 openssl ca-certificates
	# test clients
	swaks libnet-ssleay-perl libio-socket-inet6-perl msmtp neomutt
	gnupg gpg-agent tmux curl sqlite3
	# checkers; perl brings prove
	valgrind clang libclang-rt-14-dev perl clang-format cppcheck
	# ps/kill/pgrep and flock/setsid (in every normal install, but not
	# necessarily in a minimal container)
	procps util-linux
)

missing=()
for p in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} = 0 ]; then
	echo "install-deps: all ${#PACKAGES[@]} packages are installed"
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || {
		echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2
		exit 1
	}
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	--no-install-recommends "${missing[@]}"
