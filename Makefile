# intaked — mail-driven incident intake daemon.
# GNU Make. Targets: all check check-unit check-integration check-asan
# check-valgrind demo bench lint fuzz install clean.

PREFIX      ?= /usr/local
SBINDIR     ?= $(PREFIX)/sbin
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DATADIR     ?= $(PREFIX)/share/intaked
SYSCONFDIR  ?= /etc
UNITDIR     ?= /lib/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
TMPFILESDIR ?= /usr/lib/tmpfiles.d
DESTDIR     ?=

BUILD ?= build
CC    ?= cc

PARSER_PKGS := gmime-3.0 glib-2.0 libxml-2.0 nettle
DAEMON_PKGS := $(PARSER_PKGS) gpgme sqlite3 libconfig gnutls json-glib-1.0 \
	libsystemd

# libetpan's .pc leaks -specs=no-pie-link.specs (see shared notes): take
# only its -l flags and link PIE ourselves.
ETPAN_LIBS := -letpan -lsasl2

WARNINGS := -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Wwrite-strings -Wno-unused-parameter
CFLAGS  ?= -O2 -g
override CFLAGS += -std=gnu11 $(WARNINGS) -Werror -fPIE \
	-D_FORTIFY_SOURCE=2 -fstack-protector-strong \
	-DINTAKED_SYSCONFDIR='"$(SYSCONFDIR)"' -DINTAKED_DATADIR='"$(DATADIR)"' \
	-Iparsers -Idaemon $(shell pkg-config --cflags $(DAEMON_PKGS))
override LDFLAGS += -pie -Wl,-z,relro -Wl,-z,now
LIBS := $(shell pkg-config --libs $(DAEMON_PKGS)) $(ETPAN_LIBS) -lpthread

PARSER_SRCS := $(wildcard parsers/*.c)
DAEMON_SRCS := $(filter-out daemon/intaked.c daemon/intakectl.c, \
	$(wildcard daemon/*.c))
UNIT_SRCS   := $(wildcard tests/unit/test-*.c)

PARSER_OBJS := $(PARSER_SRCS:%.c=$(BUILD)/%.o)
DAEMON_OBJS := $(DAEMON_SRCS:%.c=$(BUILD)/%.o)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

PROGRAMS := $(BUILD)/intaked $(BUILD)/intakectl

.PHONY: all check check-unit check-integration check-asan check-asan-unit \
	check-valgrind \
	demo bench bench-parse bench-match lint fuzz fuzz-run install clean deps
all: $(PROGRAMS)

# Keep the unit tests' object files between runs.
.SECONDARY:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libparsers.a: $(PARSER_OBJS)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/libdaemon.a: $(DAEMON_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/intaked: $(BUILD)/daemon/intaked.o $(BUILD)/libdaemon.a \
		$(BUILD)/libparsers.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/intakectl: $(BUILD)/daemon/intakectl.o $(BUILD)/libdaemon.a \
		$(BUILD)/libparsers.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# Benchmarks of single modules, linked like the unit tests.
$(BUILD)/bench-%: $(BUILD)/bench/bench-%.o $(BUILD)/libdaemon.a \
		$(BUILD)/libparsers.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# Unit tests link both libraries; each is a GLib test program speaking TAP.
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libdaemon.a \
		$(BUILD)/libparsers.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- tests -----------------------------------------------------------------
# prove runs every unit binary and integration script (all speak TAP) and
# closes with its summary line.
INTEGRATION_TESTS := $(sort $(wildcard tests/integration/t[0-9]*.sh))

# Like demo, check works on a fresh machine: it installs what is missing
# (a no-op when everything is there) before it builds.
check:
	bash contrib/install-deps.sh
	$(MAKE) all $(UNIT_BINS)
	INTAKED_BUILD=$(abspath $(BUILD)) prove -f $(UNIT_BINS) $(INTEGRATION_TESTS)

check-unit: $(UNIT_BINS)
	prove -f $(UNIT_BINS)

check-integration: all
	INTAKED_BUILD=$(abspath $(BUILD)) prove -f $(INTEGRATION_TESTS)

# Sanitizer build in its own tree; the same suite runs against it.
check-asan:
	$(MAKE) BUILD=build-asan \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
		LDFLAGS='-fsanitize=address,undefined' check

# The unit tests alone under ASan and UBSan (what CI runs every time).
check-asan-unit:
	$(MAKE) BUILD=build-asan \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
		LDFLAGS='-fsanitize=address,undefined' check-unit

check-valgrind: all $(UNIT_BINS)
	INTAKED_BUILD=$(abspath $(BUILD)) INTAKED_VALGRIND=1 \
		prove -f $(UNIT_BINS) $(INTEGRATION_TESTS)

demo:
	bash contrib/demo.sh

# demo.sh installs what is missing before it builds; so does bench.
bench:
	bash contrib/install-deps.sh
	$(MAKE) all $(BUILD)/bench-match
	$(BUILD)/bench-match
	bash bench/run.sh
	BENCH_N=2000 BENCH_RATE=110 BENCH_CONNECTIONS=8 bash bench/run.sh
	bash bench/pgp.sh
	$(MAKE) bench-parse

# Parsing throughput over tests/corpus, in memory (docs/parsing.md).
$(BUILD)/bench-parse: $(BUILD)/bench/bench-parse.o $(BUILD)/libparsers.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
bench-parse: $(BUILD)/bench-parse
	$(BUILD)/bench-parse

# Provider matching alone (docs/performance.md, "Matching").
bench-match: $(BUILD)/bench-match
	$(BUILD)/bench-match

deps:
	bash contrib/install-deps.sh

lint:
	clang-format --dry-run --Werror daemon/*.[ch] parsers/*.[ch] tests/unit/*.[ch]
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --suppress=missingIncludeSystem -Iparsers -Idaemon \
		--library=gtk "-DG_DEFINE_AUTOPTR_CLEANUP_FUNC(t,f)=" \
		"-DG_DEFINE_QUARK(a,b)=" \
		daemon parsers

# --- fuzzing ---------------------------------------------------------------
# libFuzzer harnesses, one per parser family, built with clang, ASan and
# UBSan.  `make fuzz` builds them; `make fuzz-run` runs each for
# FUZZ_SECONDS on a copy of its seed corpus (CI does a short run).
FUZZ_SECONDS ?= 30
FUZZ_CC      := clang
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -std=gnu11 -Iparsers -Idaemon \
	$(shell pkg-config --cflags $(PARSER_PKGS))
FUZZ_HARNESSES := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_PARSER_OBJS := $(PARSER_SRCS:%.c=build-fuzz/%.o)

build-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -c $< -o $@

build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(FUZZ_PARSER_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $^ -o $@ \
		$(shell pkg-config --libs $(PARSER_PKGS))

fuzz: $(FUZZ_HARNESSES)

fuzz-run: fuzz
	@set -e; for h in $(FUZZ_HARNESSES); do \
		name=$${h#build-fuzz/fuzz-}; \
		mkdir -p build-fuzz/corpus-$$name; \
		cp -n tests/fuzz/corpus/$$name/* build-fuzz/corpus-$$name/ 2>/dev/null || true; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		$$h -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-max_len=65536 -print_final_stats=1 \
			build-fuzz/corpus-$$name 2>build-fuzz/$$name.log \
			|| { tail -50 build-fuzz/$$name.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' build-fuzz/$$name.log | tr '\n' ' '; echo; \
	done

# --- install ---------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SYSCONFDIR)/intaked $(DESTDIR)$(DATADIR)/templates \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 $(BUILD)/intaked $(DESTDIR)$(SBINDIR)/intaked
	install -m 0755 $(BUILD)/intakectl $(DESTDIR)$(BINDIR)/intakectl
	install -m 0644 docs/man/intaked.8 docs/man/intakectl.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 docs/man/intaked.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0640 conf/intaked.conf $(DESTDIR)$(SYSCONFDIR)/intaked/intaked.conf.example
	install -m 0640 conf/questionnaire.conf $(DESTDIR)$(SYSCONFDIR)/intaked/questionnaire.conf.example
	install -m 0640 conf/providers.conf $(DESTDIR)$(SYSCONFDIR)/intaked/providers.conf.example
	cp -R templates/. $(DESTDIR)$(DATADIR)/templates/
	install -m 0644 systemd/intaked.service $(DESTDIR)$(UNITDIR)/intaked.service
	install -m 0644 systemd/intaked.sysusers $(DESTDIR)$(SYSUSERSDIR)/intaked.conf
	install -m 0644 systemd/intaked.tmpfiles $(DESTDIR)$(TMPFILESDIR)/intaked.conf

clean:
	rm -rf build build-asan build-fuzz
