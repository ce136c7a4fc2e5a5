/* log.c — one event per line, key=value, to stderr.
 *
 * Under systemd stderr goes to journald, which stamps the time itself and
 * reads a "<N>" syslog priority at the start of a line; elsewhere (a
 * terminal, a test) each line starts with an ISO-8601 UTC time and the
 * level name.  Each line is built whole and written with one write(2), so
 * lines from different threads never interleave.
 *
 * Nothing here knows what is secret: callers never pass passwords, key
 * material or message bodies, and pass every untrusted value through
 * log_value(). */
#include "log.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* log_value() cuts longer renderings: a hostile subject must not flood
 * the journal. */
#define LOG_VALUE_MAX_BYTES 200

static gint minimum_level = LOG_LEVEL_INFO;
static gint journal_prefix = FALSE;

static const char *const level_names[] = {"debug", "info", "warning", "error"};
/* syslog(3) priorities: LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR. */
static const int level_priorities[] = {7, 6, 4, 3};

void
log_set_level(enum log_level level)
{
	g_atomic_int_set(&minimum_level, level);
}

gboolean
log_level_parse(const char *name, enum log_level *level)
{
	for (size_t i = 0; i < G_N_ELEMENTS(level_names); i++) {
		if (name != NULL && strcmp(name, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return TRUE;
		}
	}
	return FALSE;
}

void
log_set_journal_prefix(gboolean enabled)
{
	g_atomic_int_set(&journal_prefix, enabled ? TRUE : FALSE);
}

static void
write_all(int fd, const char *data, size_t length)
{
	while (length > 0) {
		ssize_t n = write(fd, data, length);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* nowhere left to report it */
		data += n;
		length -= n;
	}
}

void
log_write(enum log_level level, const char *format, ...)
{
	int saved_errno = errno;
	g_autoptr(GString) line = NULL;
	size_t message_start;
	va_list args;

	if ((int)level < LOG_LEVEL_DEBUG || (int)level > LOG_LEVEL_ERROR)
		level = LOG_LEVEL_ERROR;
	if ((int)level < g_atomic_int_get(&minimum_level))
		return;
	line = g_string_sized_new(160);
	if (g_atomic_int_get(&journal_prefix)) {
		g_string_append_printf(line, "<%d>", level_priorities[level]);
	} else {
		struct timespec now;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &now);
		gmtime_r(&now.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		g_string_append_printf(line, "%s %s ", stamp,
				       level_names[level]);
	}
	message_start = line->len;
	va_start(args, format);
	g_string_append_vprintf(line, format, args);
	va_end(args);
	/* One event, one line: a multi-line GError message or a value
	 * somebody forgot to pass through log_value() must not start a
	 * line of its own that looks like another event. */
	for (size_t i = message_start; i < line->len; i++) {
		if (line->str[i] == '\n') {
			g_string_overwrite_len(line, i, "\\", 1);
			g_string_insert_c(line, i + 1, 'n');
			i++;
		} else if ((unsigned char)line->str[i] < 0x20 &&
			   line->str[i] != '\t') {
			line->str[i] = '?';
		}
	}
	g_string_append_c(line, '\n');
	write_all(STDERR_FILENO, line->str, line->len);
	errno = saved_errno;
}

/* A plain token is printed bare: printable ASCII that cannot be mistaken
 * for a separator, a quote or the start of another key. */
static gboolean
is_plain_token(const char *value)
{
	size_t length = 0;

	/* "-" stands for NULL; a real "-" is quoted. */
	if (*value == '\0' || strcmp(value, "-") == 0)
		return FALSE;
	for (const char *p = value; *p != '\0'; p++, length++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' ||
		    c == '=' || c == '\'')
			return FALSE;
	}
	return length <= LOG_VALUE_MAX_BYTES;
}

/* Characters that are valid UTF-8 but would confuse a reader of the log:
 * C0/C1 controls, line and paragraph separators, and the bidirectional
 * overrides that make text display in another order than it is. */
static gboolean
is_confusing_char(gunichar c)
{
	return g_unichar_iscntrl(c) || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0xfeff;
}

static void
append_escape(GString *out, unsigned char c)
{
	switch (c) {
	case '"':
		g_string_append(out, "\\\"");
		break;
	case '\\':
		g_string_append(out, "\\\\");
		break;
	case '\n':
		g_string_append(out, "\\n");
		break;
	case '\r':
		g_string_append(out, "\\r");
		break;
	case '\t':
		g_string_append(out, "\\t");
		break;
	default:
		g_string_append_printf(out, "\\x%02x", c);
		break;
	}
}

char *
log_value(const char *value)
{
	GString *out;
	const char *p, *end;

	if (value == NULL)
		return g_strdup("-");
	if (is_plain_token(value))
		return g_strdup(value);
	out = g_string_new("\"");
	end = value + strlen(value);
	for (p = value; p < end;) {
		unsigned char c = (unsigned char)*p;
		size_t before = out->len;
		size_t advance = 1;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			g_string_append_c(out, c);
		} else if (c < 0x80) {
			append_escape(out, c);
		} else {
			gunichar uc = g_utf8_get_char_validated(p, end - p);

			if (uc == (gunichar)-1 || uc == (gunichar)-2) {
				append_escape(out, c);
			} else {
				advance = g_utf8_next_char(p) - p;
				if (is_confusing_char(uc)) {
					for (size_t i = 0; i < advance; i++)
						append_escape(
							out,
							(unsigned char)p[i]);
				} else {
					g_string_append_len(out, p, advance);
				}
			}
		}
		/* Cut between characters, never inside an escape or a
		 * UTF-8 sequence; -1 for the opening quote. */
		if (out->len - 1 > LOG_VALUE_MAX_BYTES) {
			g_string_truncate(out, before);
			g_string_append(out, "...");
			break;
		}
		p += advance;
	}
	g_string_append_c(out, '"');
	return g_string_free(out, FALSE);
}
