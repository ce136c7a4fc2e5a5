/* config.c — intaked.conf: one table of keys drives loading and checks.
 *
 * Every key is declared once in config_keys[] (config-keys.c) with its
 * type, default or "required", bounds, an optional check and a one-line
 * description that docs/man/intaked.conf.5 mirrors; this file walks it. Loading
 * never stops at the first problem: every problem is collected as "file:line:
 * what is wrong" and returned together, so an operator fixes the file in one
 * round.
 *
 * Relative paths (database, templates, ca_file, the secret files) and
 * @include files are resolved against the directory of the configuration
 * file, not the working directory: the daemon runs from "/" under systemd
 * while `intaked -n` runs wherever the operator stands, and both must read
 * the same files.
 */
#include "config.h"
#include "config-keys.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The configuration file is written by the operator, but a runaway
 * include or a wrong path (a log file) should not be read whole. */
#define CONFIG_FILE_MAX_BYTES  (1024 * 1024)
#define SECRET_FILE_MAX_BYTES  (64 * 1024)
#define TOKEN_SECRET_MIN_BYTES 32
#define CONFIG_STRING_MAX      4096
/* Unknown keys closer than this (edit distance) get a "did you mean". */
#define HINT_MAX_DISTANCE 2

struct load_state {
	config_t lc;
	struct config *config;
	GString *problems;
	const char *name;  /* the main file as the operator named it */
	char *base_dir;	   /* absolute directory of the main file */
	const char *text;  /* the main file's text */
	GHashTable *texts; /* included file path -> its text (owned) */
};

static GQuark
config_error_quark(void)
{
	return g_quark_from_static_string("intaked-config-error");
}

/* --- where a setting came from ------------------------------------------ */

/* libconfig names an included file as it was written in @include; make it
 * the path actually read.  Returns a new string. */
static char *
resolve_path(const struct load_state *state, const char *file)
{
	if (g_path_is_absolute(file))
		return g_strdup(file);
	return g_build_filename(state->base_dir, file, NULL);
}

/* Returns "file:line" of setting (a new string). */
static char *
setting_location(const struct load_state *state,
		 const config_setting_t *setting)
{
	const char *file = config_setting_source_file(setting);
	g_autofree char *path =
		file ? resolve_path(state, file) : g_strdup(state->name);

	return g_strdup_printf("%s:%u", path,
			       config_setting_source_line(setting));
}

static void problem_at(struct load_state *state,
		       const config_setting_t *setting, const char *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
problem_at(struct load_state *state, const config_setting_t *setting,
	   const char *format, ...)
{
	va_list args;

	if (state->problems->len > 0)
		g_string_append_c(state->problems, '\n');
	if (setting != NULL) {
		g_autofree char *where = setting_location(state, setting);
		g_string_append_printf(state->problems, "%s: ", where);
	} else {
		g_string_append_printf(state->problems, "%s: ", state->name);
	}
	va_start(args, format);
	g_string_append_vprintf(state->problems, format, args);
	va_end(args);
}

/* --- unknown keys ----------------------------------------------------- */

static const struct config_key *
find_key(const char *path)
{
	for (size_t i = 0; i < config_keys_count; i++)
		if (strcmp(config_keys[i].path, path) == 0)
			return &config_keys[i];
	return NULL;
}

/* A group is known when some key lives inside it. */
static gboolean
is_known_group(const char *path)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < config_keys_count; i++)
		if (strncmp(config_keys[i].path, path, len) == 0 &&
		    config_keys[i].path[len] == '.')
			return TRUE;
	return FALSE;
}

static const char *
leaf_name(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

/* Levenshtein distance; both strings are short key paths. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	g_autofree size_t *row = g_new(size_t, lb + 1);

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t best = diagonal + (a[i - 1] != b[j - 1]);

			best = MIN(best, row[j - 1] + 1);
			best = MIN(best, above + 1);
			row[j] = best;
			diagonal = above;
		}
	}
	return row[lb];
}

static void
consider_hint(const char *path, const char *candidate, size_t *best,
	      const char **best_candidate)
{
	size_t distance = edit_distance(path, candidate);

	/* "imap.case_prefix" is a key put in the wrong group. */
	if (strcmp(leaf_name(path), leaf_name(candidate)) == 0)
		distance = MIN(distance, 1);
	if (distance < *best) {
		*best = distance;
		*best_candidate = candidate;
	}
}

/* Returns the known key or group closest to path (a new string), or NULL
 * when none is close enough to be a likely typo. */
static char *
closest_key(const char *path)
{
	size_t best = HINT_MAX_DISTANCE + 1;
	const char *best_candidate = NULL;
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(g_free);

	/* Names much longer than any key are not typos of one. */
	if (strlen(path) > 64)
		return NULL;
	for (size_t i = 0; i < config_keys_count; i++) {
		const char *key = config_keys[i].path;
		const char *dot = strchr(key, '.');

		consider_hint(path, key, &best, &best_candidate);
		/* Typos of a group name: "imapp = { ... }". */
		if (dot != NULL && strchr(path, '.') == NULL) {
			char *group = g_strndup(key, dot - key);

			g_ptr_array_add(groups, group);
			consider_hint(path, group, &best, &best_candidate);
		}
	}
	return g_strdup(best_candidate);
}

static void
report_unknown(struct load_state *state, const config_setting_t *setting,
	       const char *path)
{
	g_autofree char *hint = closest_key(path);

	if (hint == NULL)
		problem_at(state, setting, "unknown key '%s'", path);
	else
		problem_at(state, setting,
			   "unknown key '%s'; did you mean '%s'?", path, hint);
}

/* Walks the parsed tree and reports every setting the table does not
 * declare, at every level. */
static void
check_unknown_keys(struct load_state *state, const config_setting_t *group,
		   const char *prefix)
{
	int count = config_setting_length(group);

	for (int i = 0; i < count; i++) {
		config_setting_t *setting = config_setting_get_elem(group, i);
		const char *name = config_setting_name(setting);
		g_autofree char *path = NULL;

		if (name == NULL)
			continue;
		path = prefix ? g_strconcat(prefix, ".", name, NULL)
			      : g_strdup(name);
		if (find_key(path) != NULL)
			continue; /* its type is checked when it is loaded */
		if (!is_known_group(path)) {
			report_unknown(state, setting, path);
			continue;
		}
		if (!config_setting_is_group(setting)) {
			problem_at(state, setting, "%s must be a group { }",
				   path);
			continue;
		}
		check_unknown_keys(state, setting, path);
	}
}

/* --- integers libconfig got wrong ------------------------------------- */

static const char *
file_text(struct load_state *state, const config_setting_t *setting)
{
	const char *file = config_setting_source_file(setting);
	g_autofree char *path = NULL;
	char *text = NULL;

	if (file == NULL)
		return state->text;
	path = resolve_path(state, file);
	text = g_hash_table_lookup(state->texts, path);
	if (text == NULL) {
		gsize length = 0;

		if (!g_file_get_contents(path, &text, &length, NULL))
			return NULL;
		g_hash_table_insert(state->texts, g_steal_pointer(&path), text);
	}
	return text;
}

static gboolean
is_name_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '*';
}

/* What libconfig 1.5 makes of an integer literal: its scanner reads a
 * plain decimal with atoi() and a plain hex with strtoul(), both stored in
 * an int; with an L suffix, atoll() and a 64-bit hex read. */
static gint64
libconfig_integer_value(const char *literal, gboolean hex, gboolean is_long)
{
	if (is_long)
		return hex ? (gint64)strtoull(literal, NULL, 16)
			   : (gint64)strtoll(literal, NULL, 10);
	return hex ? (int)strtoul(literal, NULL, 16)
		   : (int)strtol(literal, NULL, 10);
}

/* libconfig 1.5 silently truncates integers that do not fit: 5000000000
 * arrives as 705032704, -2147483649 as 2147483647, 0xFFFFFFFF as -1 and
 * 5000000000 (no L) even through config_setting_get_int64().  The wrong
 * value is often inside a key's bounds, so only the text tells the truth:
 * find the literal the setting was read from (its name starts on the
 * setting's source line) and parse it ourselves.  An occurrence only
 * counts when libconfig's reading of it equals the value libconfig
 * produced, which rules out another key of the same name on that line.
 * Returns FALSE when no literal was found (trust libconfig then);
 * otherwise *overflow says the literal does not fit in 64 bits and *value
 * is its true value, *literal its text (a new string). */
static gboolean
integer_literal(struct load_state *state, const config_setting_t *setting,
		gint64 parsed, gint64 *value, gboolean *overflow,
		char **literal)
{
	const char *text = file_text(state, setting);
	const char *name = config_setting_name(setting);
	unsigned line = config_setting_source_line(setting);
	const char *p, *line_end;
	size_t name_len;

	if (text == NULL || name == NULL || line == 0)
		return FALSE;
	name_len = strlen(name);
	for (p = text; line > 1 && p != NULL; line--) {
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	if (p == NULL)
		return FALSE;
	line_end = p + strcspn(p, "\n");
	for (; (p = strstr(p, name)) != NULL && p < line_end; p++) {
		const char *q = p + name_len;
		const char *start, *digits;
		gboolean hex, is_long = FALSE;
		g_autofree char *number = NULL;

		if ((p > text && is_name_char(p[-1])) || is_name_char(*q))
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '=' && *q != ':')
			continue;
		q++;
		while (g_ascii_isspace(*q))
			q++;
		start = q;
		if (*q == '-' || *q == '+')
			q++;
		hex = q[0] == '0' && (q[1] == 'x' || q[1] == 'X');
		digits = hex ? q + 2 : q;
		q = digits;
		while (hex ? g_ascii_isxdigit(*q) : g_ascii_isdigit(*q))
			q++;
		if (q == digits)
			continue;
		number = g_strndup(start, q - start);
		if (*q == 'L') {
			is_long = TRUE;
			q += q[1] == 'L' ? 2 : 1;
		}
		if (libconfig_integer_value(number, hex, is_long) != parsed)
			continue;
		errno = 0;
		if (hex && (*start == '-' || *start == '+')) {
			continue; /* libconfig has no signed hex */
		} else if (hex) {
			guint64 u = g_ascii_strtoull(number, NULL, 16);

			*overflow = errno == ERANGE || u > G_MAXINT64;
			*value = (gint64)u;
		} else {
			*value = g_ascii_strtoll(number, NULL, 10);
			*overflow = errno == ERANGE;
		}
		*literal = g_strndup(start, q - start);
		return TRUE;
	}
	return FALSE;
}

/* --- value conversion ------------------------------------------------- */

static const char *
type_name(enum key_type type)
{
	switch (type) {
	case KEY_INT:
	case KEY_INT64:
		return "an integer";
	case KEY_BOOL:
		return "true or false";
	case KEY_STRING_LIST:
		return "a list of strings";
	default:
		return "a string";
	}
}

/* Reads a string setting and checks what every string value must be:
 * UTF-8 without control characters (a CR LF in a host or user name would
 * end up inside a protocol command), and not absurdly long.  Returns a
 * borrowed string or NULL after reporting. */
static const char *
string_value(struct load_state *state, const struct config_key *key,
	     const config_setting_t *setting)
{
	const char *value;

	if (config_setting_type(setting) != CONFIG_TYPE_STRING) {
		problem_at(state, setting, "%s must be %s", key->path,
			   type_name(key->type));
		return NULL;
	}
	value = config_setting_get_string(setting);
	if (strlen(value) > CONFIG_STRING_MAX) {
		problem_at(state, setting, "%s is longer than %d bytes",
			   key->path, CONFIG_STRING_MAX);
		return NULL;
	}
	if (!g_utf8_validate(value, -1, NULL)) {
		problem_at(state, setting, "%s is not valid UTF-8", key->path);
		return NULL;
	}
	for (const char *p = value; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			problem_at(state, setting,
				   "%s contains a control character",
				   key->path);
			return NULL;
		}
	}
	if (*value == '\0' &&
	    !(key->flags & (KEY_ALLOW_EMPTY | KEY_EMPTY_IS_NULL))) {
		problem_at(state, setting, "%s must not be empty", key->path);
		return NULL;
	}
	return value;
}

static char *
resolve_config_path(const struct load_state *state, const char *value)
{
	if (g_path_is_absolute(value))
		return g_strdup(value);
	return g_build_filename(state->base_dir, value, NULL);
}

/* Overwrites secret bytes before they go back to the allocator. */
static void
wipe_free(void *data, size_t length)
{
	if (data == NULL)
		return;
	explicit_bzero(data, length);
	g_free(data);
}

static void
wipe_string(char *string)
{
	if (string != NULL)
		wipe_free(string, strlen(string));
}

struct wiped_buffer {
	void *data;
	size_t length;
};

static void
wiped_buffer_free(gpointer user_data)
{
	struct wiped_buffer *buffer = user_data;

	wipe_free(buffer->data, buffer->length);
	g_free(buffer);
}

/* Reads a secret file after checking that only its owner can read it.
 * The checks are on the open descriptor (fstat), so the file checked is
 * the file read.  Returns the bytes (wipe and free them) and their length
 * in *length, or NULL after reporting. */
static char *
read_secret_file(struct load_state *state, const config_setting_t *setting,
		 const char *path, size_t *length)
{
	struct stat st;
	char *data;
	size_t used = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		problem_at(state, setting, "%s: cannot read: %s", path,
			   g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		problem_at(state, setting, "%s: cannot read: %s", path,
			   g_strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		problem_at(state, setting, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((st.st_mode & 077) != 0) {
		problem_at(state, setting,
			   "%s: mode %04o is too open; chmod 600 %s", path,
			   (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	if (st.st_size > SECRET_FILE_MAX_BYTES) {
		problem_at(state, setting, "%s: larger than %d bytes", path,
			   SECRET_FILE_MAX_BYTES);
		close(fd);
		return NULL;
	}
	data = g_malloc(SECRET_FILE_MAX_BYTES + 1);
	for (;;) {
		ssize_t n = read(fd, data + used, SECRET_FILE_MAX_BYTES - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			problem_at(state, setting, "%s: cannot read: %s", path,
				   g_strerror(errno));
			wipe_free(data, SECRET_FILE_MAX_BYTES + 1);
			close(fd);
			return NULL;
		}
		if (n == 0 || used + n >= SECRET_FILE_MAX_BYTES) {
			used += n;
			break;
		}
		used += n;
	}
	close(fd);
	if (used >= SECRET_FILE_MAX_BYTES) {
		problem_at(state, setting, "%s: larger than %d bytes", path,
			   SECRET_FILE_MAX_BYTES);
		wipe_free(data, SECRET_FILE_MAX_BYTES + 1);
		return NULL;
	}
	/* Copy out so the result is exactly sized; wipe the big buffer. */
	{
		char *exact = g_malloc(used + 1);

		memcpy(exact, data, used);
		exact[used] = '\0';
		wipe_free(data, SECRET_FILE_MAX_BYTES + 1);
		*length = used;
		return exact;
	}
}

static void
load_password_file(struct load_state *state, const config_setting_t *setting,
		   const char *path, char **field)
{
	size_t length = 0, line_length;
	char *data = read_secret_file(state, setting, path, &length);

	if (data == NULL)
		return;
	/* The first line is the password; an editor's final newline (or a
	 * CR LF from elsewhere) is not part of it. */
	line_length = strcspn(data, "\n");
	if (line_length > 0 && data[line_length - 1] == '\r')
		line_length--;
	if (memchr(data, '\0', line_length) != NULL) {
		problem_at(state, setting, "%s: contains a NUL byte", path);
	} else if (line_length == 0) {
		problem_at(state, setting,
			   "%s: the first line (the password) "
			   "is empty",
			   path);
	} else {
		*field = g_strndup(data, line_length);
	}
	wipe_free(data, length + 1);
}

static void
load_secret_file(struct load_state *state, const config_setting_t *setting,
		 const char *path, GBytes **field)
{
	size_t length = 0;
	char *data = read_secret_file(state, setting, path, &length);
	struct wiped_buffer *buffer;

	if (data == NULL)
		return;
	if (length < TOKEN_SECRET_MIN_BYTES) {
		problem_at(state, setting,
			   "%s: has %zu bytes; at least %d random bytes are "
			   "needed",
			   path, length, TOKEN_SECRET_MIN_BYTES);
		wipe_free(data, length + 1);
		return;
	}
	buffer = g_new(struct wiped_buffer, 1);
	buffer->data = data;
	buffer->length = length + 1;
	*field = g_bytes_new_with_free_func(data, length, wiped_buffer_free,
					    buffer);
}

static void
load_integer(struct load_state *state, const struct config_key *key,
	     const config_setting_t *setting, void *field)
{
	int type = config_setting_type(setting);
	gint64 value, true_value;
	gboolean overflow = FALSE;
	g_autofree char *literal = NULL;

	if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64) {
		problem_at(state, setting, "%s must be an integer", key->path);
		return;
	}
	value = config_setting_get_int64(setting);
	if (integer_literal(state, setting, value, &true_value, &overflow,
			    &literal))
		value = true_value;
	if (overflow || value < key->min || value > key->max) {
		if (literal != NULL && overflow)
			problem_at(state, setting,
				   "%s = %s is out of range %" G_GINT64_FORMAT
				   "..%" G_GINT64_FORMAT,
				   key->path, literal, key->min, key->max);
		else
			problem_at(state, setting,
				   "%s = %" G_GINT64_FORMAT
				   " is out of range %" G_GINT64_FORMAT
				   "..%" G_GINT64_FORMAT,
				   key->path, value, key->min, key->max);
		return;
	}
	if (key->type == KEY_INT64)
		*(gint64 *)field = value;
	else
		*(int *)field = (int)value;
}

static void
load_enum(struct load_state *state, const struct config_key *key,
	  const config_setting_t *setting, int *field)
{
	const char *value = string_value(state, key, setting);
	g_autofree char *choices = NULL;

	if (value == NULL)
		return;
	for (int i = 0; key->enum_names[i] != NULL; i++) {
		if (strcmp(value, key->enum_names[i]) == 0) {
			*field = i;
			return;
		}
	}
	choices = g_strjoinv("\" or \"", (char **)key->enum_names);
	problem_at(state, setting, "%s = \"%s\" is not \"%s\"%s%s", key->path,
		   value, choices, key->enum_hint ? "; " : "",
		   key->enum_hint ? key->enum_hint : "");
}

static void
load_string_list(struct load_state *state, const struct config_key *key,
		 const config_setting_t *setting, char ***field)
{
	int count;
	GPtrArray *list;

	if (!config_setting_is_array(setting) &&
	    !config_setting_is_list(setting)) {
		problem_at(state, setting, "%s must be a list of strings",
			   key->path);
		return;
	}
	count = config_setting_length(setting);
	list = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < count; i++) {
		config_setting_t *element = config_setting_get_elem(setting, i);
		const char *value =
			config_setting_type(element) == CONFIG_TYPE_STRING
				? config_setting_get_string(element)
				: NULL;

		if (value == NULL) {
			problem_at(state, setting,
				   "%s must be a list of strings", key->path);
			g_ptr_array_free(list, TRUE);
			return;
		}
		g_ptr_array_add(list, g_strdup(value));
	}
	g_ptr_array_add(list, NULL);
	*field = (char **)g_ptr_array_free(list, FALSE);
}

static void
load_default(struct load_state *state, const struct config_key *key,
	     void *field)
{
	switch (key->type) {
	case KEY_STRING:
	case KEY_PATH:
		if (key->default_string == NULL ||
		    (key->default_string[0] == '\0' &&
		     (key->flags & KEY_EMPTY_IS_NULL)))
			*(char **)field = NULL;
		else if (key->type == KEY_PATH)
			*(char **)field =
				resolve_config_path(state, key->default_string);
		else
			*(char **)field = g_strdup(key->default_string);
		break;
	case KEY_INT:
	case KEY_ENUM:
	case KEY_BOOL:
		*(int *)field = (int)key->default_number;
		break;
	case KEY_INT64:
		*(gint64 *)field = key->default_number;
		break;
	case KEY_STRING_LIST:
		*(char ***)field = g_strdupv((char **)key->default_list);
		break;
	case KEY_PASSWORD_FILE:
	case KEY_SECRET_FILE:
		break; /* always required */
	}
}

static void
load_key(struct load_state *state, const struct config_key *key)
{
	void *field = (char *)state->config + key->offset;
	config_setting_t *setting = config_lookup(&state->lc, key->path);
	const char *value;

	if (setting == NULL) {
		if (key->flags & KEY_REQUIRED) {
			const char *dot = strrchr(key->path, '.');
			g_autofree char *group =
				dot ? g_strndup(key->path, dot - key->path)
				    : NULL;
			config_setting_t *parent =
				group ? config_lookup(&state->lc, group) : NULL;

			/* A group given as a scalar was reported already. */
			if (parent != NULL && !config_setting_is_group(parent))
				return;
			problem_at(state, parent, "%s is required", key->path);
			return;
		}
		load_default(state, key, field);
		return;
	}

	switch (key->type) {
	case KEY_STRING:
	case KEY_PATH:
		value = string_value(state, key, setting);
		if (value == NULL)
			return;
		if (*value == '\0' && (key->flags & KEY_EMPTY_IS_NULL))
			*(char **)field = NULL;
		else if (key->type == KEY_PATH)
			*(char **)field = resolve_config_path(state, value);
		else
			*(char **)field = g_strdup(value);
		break;
	case KEY_INT:
	case KEY_INT64:
		load_integer(state, key, setting, field);
		return; /* bounds are the check */
	case KEY_BOOL:
		if (config_setting_type(setting) != CONFIG_TYPE_BOOL) {
			problem_at(state, setting, "%s must be true or false",
				   key->path);
			return;
		}
		*(gboolean *)field = config_setting_get_bool(setting) != 0;
		break;
	case KEY_ENUM:
		load_enum(state, key, setting, field);
		return;
	case KEY_STRING_LIST:
		load_string_list(state, key, setting, field);
		if (*(char ***)field == NULL)
			return;
		break;
	case KEY_PASSWORD_FILE:
	case KEY_SECRET_FILE: {
		g_autofree char *path = NULL;

		value = string_value(state, key, setting);
		if (value == NULL)
			return;
		path = resolve_config_path(state, value);
		if (key->type == KEY_PASSWORD_FILE)
			load_password_file(state, setting, path, field);
		else
			load_secret_file(state, setting, path, field);
		return;
	}
	}

	if (key->check != NULL) {
		g_autofree char *wrong = key->check(field);

		if (wrong != NULL)
			problem_at(state, setting, "%s %s", key->path, wrong);
	}
}

/* Checks that involve more than one key, and derived values. */
static void
finish(struct load_state *state)
{
	struct config *config = state->config;
	const char *at;

	if (config->identity.address != NULL &&
	    (at = strrchr(config->identity.address, '@')) != NULL)
		config->identity.domain = g_strdup(at + 1);
	if (config->imap.port == 0)
		config->imap.port =
			config->imap.tls == CONFIG_TLS_IMPLICIT ? 993 : 143;
	if (config->smtp.port == 0)
		config->smtp.port =
			config->smtp.tls == CONFIG_TLS_IMPLICIT ? 465 : 587;
	if (config->smtp.retry_initial > config->smtp.retry_max &&
	    config->smtp.retry_max > 0)
		problem_at(state,
			   config_lookup(&state->lc, "smtp.retry_initial"),
			   "smtp.retry_initial = %d is larger than "
			   "smtp.retry_max = %d",
			   config->smtp.retry_initial, config->smtp.retry_max);
	/* The crypto group is optional, but when present it names a key. */
	config->crypto.enabled = config->crypto.key_fingerprint != NULL;
	if (!config->crypto.enabled &&
	    config_lookup(&state->lc, "crypto") != NULL)
		problem_at(state, config_lookup(&state->lc, "crypto"),
			   "crypto.key_fingerprint is required when the crypto "
			   "group is present");
}

/* --- loading ---------------------------------------------------------- */

static void
config_free(struct config *config)
{
	g_free(config->path);
	g_free(config->database);
	g_free(config->templates);
	g_free(config->log_level);
	g_strfreev(config->languages);
	g_strfreev(config->support.share_fields);
	g_free(config->identity.address);
	g_free(config->identity.domain);
	g_free(config->identity.name);
	g_free(config->identity.case_prefix);
	g_clear_pointer(&config->identity.token_secret, g_bytes_unref);
	g_free(config->identity.staff_address);
	g_free(config->imap.host);
	g_free(config->imap.ca_file);
	g_free(config->imap.username);
	wipe_string(config->imap.password);
	g_free(config->imap.mailbox);
	g_free(config->imap.processed_mailbox);
	g_free(config->imap.quarantine_mailbox);
	g_free(config->smtp.host);
	g_free(config->smtp.ca_file);
	g_free(config->smtp.username);
	wipe_string(config->smtp.password);
	g_free(config->smtp.helo_name);
	g_free(config->crypto.gnupg_home);
	g_free(config->crypto.key_fingerprint);
	wipe_string(config->crypto.passphrase);
	g_free(config->questionnaire);
	g_free(config->providers);
}

static void
config_clear(gpointer data)
{
	config_free(data);
}

struct config *
config_ref(struct config *config)
{
	return g_atomic_rc_box_acquire(config);
}

void
config_unref(struct config **config)
{
	if (*config == NULL)
		return;
	g_atomic_rc_box_release_full(*config, config_clear);
	*config = NULL;
}

static struct config *
load_text(const char *text, const char *name, GError **error)
{
	struct load_state state = {0};
	g_autofree char *absolute = NULL;
	struct config *config = NULL;

	absolute = g_canonicalize_filename(name, NULL);
	state.name = name;
	state.text = text;
	state.base_dir = g_path_get_dirname(absolute);
	state.texts =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	state.problems = g_string_new(NULL);
	config_init(&state.lc);
	/* @include is relative to the working directory unless told. */
	config_set_include_dir(&state.lc, state.base_dir);

	if (!config_read_string(&state.lc, text)) {
		const char *file = config_error_file(&state.lc);
		g_autofree char *path =
			file ? resolve_path(&state, file) : g_strdup(name);

		g_string_printf(state.problems, "%s:%d: %s", path,
				config_error_line(&state.lc),
				config_error_text(&state.lc));
		goto out;
	}

	state.config = g_atomic_rc_box_new0(struct config);
	/* Absolute, so a reload after chdir("/") reads the same file. */
	state.config->path = g_strdup(absolute);
	check_unknown_keys(&state, config_root_setting(&state.lc), NULL);
	for (size_t i = 0; i < config_keys_count; i++)
		load_key(&state, &config_keys[i]);
	finish(&state);
	if (state.problems->len == 0)
		config = g_steal_pointer(&state.config);
	else
		config_unref(&state.config);

out:
	if (config == NULL)
		g_set_error_literal(error, config_error_quark(), 0,
				    state.problems->str);
	config_destroy(&state.lc);
	g_string_free(state.problems, TRUE);
	g_hash_table_unref(state.texts);
	g_free(state.base_dir);
	return config;
}

struct config *
config_load_string(const char *text, const char *name, GError **error)
{
	return load_text(text, name, error);
}

struct config *
config_load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	struct stat st;
	ssize_t n;
	size_t used = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error, config_error_quark(), 0,
			    "%s: cannot read: %s", path, g_strerror(saved));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX_BYTES) {
		close(fd);
		g_set_error(error, config_error_quark(), 0,
			    "%s: cannot read: %s", path,
			    S_ISREG(st.st_mode) ? "larger than 1 MiB"
						: "not a regular file");
		return NULL;
	}
	text = g_malloc(CONFIG_FILE_MAX_BYTES + 1);
	while (used < CONFIG_FILE_MAX_BYTES) {
		n = read(fd, text + used, CONFIG_FILE_MAX_BYTES - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			g_set_error(error, config_error_quark(), 0,
				    "%s: cannot read: %s", path,
				    g_strerror(saved));
			return NULL;
		}
		if (n == 0)
			break;
		used += n;
	}
	close(fd);
	text[used] = '\0';
	/* libconfig reads up to the first NUL; anything after it would be
	 * silently ignored. */
	if (memchr(text, '\0', used) != NULL) {
		g_set_error(error, config_error_quark(), 0,
			    "%s: contains a NUL byte", path);
		return NULL;
	}
	return load_text(text, path, error);
}
