/* imap-session.c — the IMAP commands of the watcher, over libetpan.
 *
 * libetpan quirks handled here (see the shared library notes):
 * - the GnuTLS build checks no certificate and sends no SNI: SNI is set in
 *   the TLS callback and the chain is verified by tls_verify_stream()
 *   right after the handshake, before CAPABILITY or LOGIN;
 * - after STARTTLS the cached capabilities are stale and must be re-read;
 * - command functions never take ownership of sets, fetch types, search
 *   keys or store attributes: every one is freed here;
 * - UID SEARCH UID n:* always matches the highest UID, even below n. */
#include "imap-session.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <gio/gio.h>
#include <libetpan/libetpan.h>

#include "tls-verify.h"

/* The keyword marking messages the watcher has stored but could not move
 * out of the mailbox (server without UIDPLUS or MOVE). */
#define IMAP_PROCESSED_KEYWORD "$IntakedProcessed"
/* LOGOUT is a courtesy; never wait long for its answer. */
#define IMAP_LOGOUT_TIMEOUT 2

struct imap_session {
	mailimap *imap;
	char *where; /* "host:port", prefix of every error */
	gboolean has_move;
	gboolean has_uidplus;
	gboolean has_idle;
};

GQuark
imap_error_quark(void)
{
	return g_quark_from_static_string("intaked-imap-error-quark");
}

/* Words for the libetpan codes that carry no server text. */
static const char *
describe(int rc)
{
	switch (rc) {
	case MAILIMAP_ERROR_STREAM:
		return "connection lost or timed out";
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
		return "cannot connect";
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
		return "server refused the connection";
	case MAILIMAP_ERROR_PARSE:
		return "unparsable server response";
	case MAILIMAP_ERROR_SSL:
		return "TLS handshake failed";
	case MAILIMAP_ERROR_STARTTLS:
		return "STARTTLS refused or tampered with";
	default:
		return "protocol error";
	}
}

/* Sets error from a libetpan return code, with the server's last text. */
static void
set_error(GError **error, enum imap_failure failure,
	  struct imap_session *session, const char *what, int rc)
{
	const char *text =
		session->imap != NULL ? session->imap->imap_response : NULL;

	if (rc == MAILIMAP_ERROR_STREAM || text == NULL || text[0] == '\0')
		g_set_error(error, IMAP_ERROR, failure,
			    "%s: %s failed: %s (libetpan error %d)",
			    session->where, what, describe(rc), rc);
	else
		g_set_error(error, IMAP_ERROR, failure, "%s: %s failed: %s",
			    session->where, what, text);
}

/* Connection losses and timeouts are always temporary, whatever command
 * they interrupted. */
static enum imap_failure
classify(int rc, enum imap_failure when_refused)
{
	if (rc == MAILIMAP_ERROR_STREAM || rc == MAILIMAP_ERROR_PARSE ||
	    rc == MAILIMAP_ERROR_CONNECTION_REFUSED ||
	    rc == MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION ||
	    rc == MAILIMAP_ERROR_FATAL || rc == MAILIMAP_ERROR_MEMORY)
		return IMAP_FAILURE_TEMPORARY;
	return when_refused;
}

static void
tls_setup(struct mailstream_ssl_context *context, void *data)
{
	char *host = data;

	/* RFC 6066: SNI carries DNS names only, never an address. */
	if (!g_hostname_is_ip_address(host))
		mailstream_ssl_set_server_name(context, host);
}

/* mailstream_network_delay is the read timeout of streams opened without
 * one: the plain-socket connect path used for STARTTLS ignores the
 * session's timeout for its reads, so without this a silent server would
 * hang us for libetpan's default 300 s.  It is a process-wide global that
 * no thread may change while others read, so it is set once, from the
 * first configuration, before the first connection. */
static void
set_network_delay_once(int timeout)
{
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		mailstream_network_delay.tv_sec = timeout;
		mailstream_network_delay.tv_usec = 0;
		g_once_init_leave(&done, 1);
	}
}

static gboolean
read_capabilities(struct imap_session *session, GError **error)
{
	struct mailimap_capability_data *capabilities = NULL;
	int rc = mailimap_capability(session->imap, &capabilities);

	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, classify(rc, IMAP_FAILURE_TEMPORARY), session,
			  "CAPABILITY", rc);
		return FALSE;
	}
	mailimap_capability_data_free(capabilities);
	return TRUE;
}

static gboolean
has_capability(struct imap_session *session, const char *name)
{
	return session->imap->imap_connection_info != NULL &&
	       session->imap->imap_connection_info->imap_capability != NULL &&
	       mailimap_has_extension(session->imap, name);
}

/* Connects and, for STARTTLS, upgrades; never continues in plaintext. */
static gboolean
open_tls(struct imap_session *session, const struct config_imap *config,
	 GError **error)
{
	int rc;

	if (config->tls == CONFIG_TLS_IMPLICIT) {
		rc = mailimap_ssl_connect_with_callback(
			session->imap, config->host, (uint16_t)config->port,
			tls_setup, config->host);
		if (rc != MAILIMAP_NO_ERROR_AUTHENTICATED &&
		    rc != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
			set_error(error, IMAP_FAILURE_TEMPORARY, session,
				  "TLS connect", rc);
			return FALSE;
		}
		return TRUE;
	}

	rc = mailimap_socket_connect(session->imap, config->host,
				     (uint16_t)config->port);
	if (rc != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    rc != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		set_error(error, IMAP_FAILURE_TEMPORARY, session, "connect",
			  rc);
		return FALSE;
	}
	if (!read_capabilities(session, error))
		return FALSE;
	/* A man in the middle can strip STARTTLS from the list; falling back
	 * to plaintext would hand him the password. */
	if (!has_capability(session, "STARTTLS")) {
		g_set_error(error, IMAP_ERROR, IMAP_FAILURE_PERMANENT,
			    "%s: server does not offer STARTTLS; refusing to "
			    "continue without TLS",
			    session->where);
		return FALSE;
	}
	rc = mailimap_socket_starttls_with_callback(session->imap, tls_setup,
						    config->host);
	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, IMAP_FAILURE_TEMPORARY, session, "STARTTLS",
			  rc);
		return FALSE;
	}
	return TRUE;
}

struct imap_session *
imap_session_connect(const struct config_imap *config,
		     enum imap_connect_stage *stage, GError **error)
{
	struct imap_session *session = g_new0(struct imap_session, 1);
	g_autoptr(GError) verify_error = NULL;
	int rc;

	*stage = IMAP_CONNECT_TCP;
	session->where = g_strdup_printf("%s:%d", config->host, config->port);
	set_network_delay_once(config->timeout);
	session->imap = mailimap_new(0, NULL);
	mailimap_set_timeout(session->imap, config->timeout);

	if (!open_tls(session, config, error))
		goto fail;
	if (!tls_verify_stream(session->imap->imap_stream, config->host,
			       config->ca_file, &verify_error)) {
		/* The message already names the host. */
		g_set_error_literal(error, IMAP_ERROR, IMAP_FAILURE_PERMANENT,
				    verify_error->message);
		goto fail;
	}
	*stage = IMAP_CONNECT_VERIFIED;

	/* Capabilities seen before STARTTLS may have been forged. */
	if (!read_capabilities(session, error))
		goto fail;
	if (has_capability(session, "LOGINDISABLED")) {
		g_set_error(error, IMAP_ERROR, IMAP_FAILURE_PERMANENT,
			    "%s: server advertises LOGINDISABLED",
			    session->where);
		goto fail;
	}
	rc = mailimap_login(session->imap, config->username, config->password);
	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, classify(rc, IMAP_FAILURE_PERMANENT), session,
			  "LOGIN", rc);
		goto fail;
	}
	*stage = IMAP_CONNECT_LOGGED_IN;

	/* Servers often widen the list after login (MOVE, UIDPLUS); Dovecot
	 * sends it in the LOGIN OK, others do not. */
	if (!read_capabilities(session, error))
		goto fail;
	session->has_move = has_capability(session, "MOVE");
	session->has_uidplus = has_capability(session, "UIDPLUS");
	session->has_idle = mailimap_has_idle(session->imap) != 0;
	return session;
fail:
	imap_session_close(&session, FALSE);
	return NULL;
}

void
imap_session_close(struct imap_session **session, gboolean polite)
{
	struct imap_session *s = *session;

	if (s == NULL)
		return;
	if (polite && s->imap->imap_stream != NULL) {
		mailimap_set_timeout(s->imap, IMAP_LOGOUT_TIMEOUT);
		mailstream_low_set_timeout(
			mailstream_get_low(s->imap->imap_stream),
			IMAP_LOGOUT_TIMEOUT);
		mailimap_logout(s->imap);
	}
	/* mailimap_free() sends LOGOUT itself while the stream is open: not
	 * over a connection we refused (unverified peer) or that is dead. */
	if (s->imap->imap_stream != NULL) {
		mailstream_close(s->imap->imap_stream);
		s->imap->imap_stream = NULL;
	}
	mailimap_free(s->imap);
	g_free(s->where);
	g_clear_pointer(session, g_free);
}

gboolean
imap_session_ensure_mailbox(struct imap_session *session, const char *mailbox,
			    GError **error)
{
	clist *found = NULL;
	gboolean exists;
	int rc;

	rc = mailimap_list(session->imap, "", mailbox, &found);
	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, classify(rc, IMAP_FAILURE_TEMPORARY), session,
			  "LIST", rc);
		return FALSE;
	}
	exists = found != NULL && clist_count(found) > 0;
	if (found != NULL)
		mailimap_list_result_free(found);
	if (exists)
		return TRUE;
	rc = mailimap_create(session->imap, mailbox);
	if (rc != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("CREATE %s", mailbox);

		set_error(error, classify(rc, IMAP_FAILURE_PERMANENT), session,
			  what, rc);
		return FALSE;
	}
	return TRUE;
}

gboolean
imap_session_select(struct imap_session *session, const char *mailbox,
		    guint32 *uidvalidity, GError **error)
{
	int rc = mailimap_select(session->imap, mailbox);

	if (rc != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("SELECT %s", mailbox);

		/* A NO here is a missing or forbidden mailbox. */
		set_error(error, classify(rc, IMAP_FAILURE_PERMANENT), session,
			  what, rc);
		return FALSE;
	}
	*uidvalidity = session->imap->imap_selection_info->sel_uidvalidity;
	if (*uidvalidity == 0) {
		g_set_error(error, IMAP_ERROR, IMAP_FAILURE_PERMANENT,
			    "%s: SELECT %s gave no UIDVALIDITY", session->where,
			    mailbox);
		return FALSE;
	}
	return TRUE;
}

gboolean
imap_session_noop(struct imap_session *session, GError **error)
{
	int rc = mailimap_noop(session->imap);

	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, IMAP_FAILURE_TEMPORARY, session, "NOOP", rc);
		return FALSE;
	}
	return TRUE;
}

static gint
compare_uid(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

GArray *
imap_session_search_new(struct imap_session *session, guint32 last_uid,
			GError **error)
{
	struct mailimap_search_key *key;
	clist *result = NULL;
	GArray *uids;
	int rc;

	if (last_uid == G_MAXUINT32)
		return g_array_new(FALSE, FALSE, sizeof(guint32));
	key = mailimap_search_key_new_multiple_empty();
	mailimap_search_key_multiple_add(
		key, mailimap_search_key_new_uid(
			     mailimap_set_new_interval(last_uid + 1, 0)));
	mailimap_search_key_multiple_add(
		key, mailimap_search_key_new_unkeyword(
			     strdup(IMAP_PROCESSED_KEYWORD)));
	rc = mailimap_uid_search(session->imap, NULL, key, &result);
	mailimap_search_key_free(key);
	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, IMAP_FAILURE_TEMPORARY, session, "UID SEARCH",
			  rc);
		return NULL;
	}
	uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (clistiter *it = clist_begin(result); it != NULL;
	     it = clist_next(it)) {
		guint32 uid = *(uint32_t *)clist_content(it);

		/* "last+1:*" matches the highest UID even when it is lower. */
		if (uid > last_uid)
			g_array_append_val(uids, uid);
	}
	mailimap_search_result_free(result);
	g_array_sort(uids, compare_uid);
	return uids;
}

/* The static fetch item of type att_type in msg, or NULL. */
static struct mailimap_msg_att_static *
find_static(struct mailimap_msg_att *msg, int att_type)
{
	for (clistiter *it = clist_begin(msg->att_list); it != NULL;
	     it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);

		if (item->att_type == MAILIMAP_MSG_ATT_ITEM_STATIC &&
		    item->att_data.att_static->att_type == att_type)
			return item->att_data.att_static;
	}
	return NULL;
}

static struct mailimap_set *
set_of(const guint32 *uids, guint count)
{
	struct mailimap_set *set = mailimap_set_new_empty();

	for (guint i = 0; i < count; i++)
		mailimap_set_add_single(set, uids[i]);
	return set;
}

GHashTable *
imap_session_fetch_sizes(struct imap_session *session, const guint32 *uids,
			 guint count, GError **error)
{
	struct mailimap_set *set = set_of(uids, count);
	struct mailimap_fetch_type *type;
	g_autoptr(GHashTable) wanted = g_hash_table_new(NULL, NULL);
	GHashTable *sizes;
	clist *result = NULL;
	int rc;

	type = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(
		type, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(
		type, mailimap_fetch_att_new_rfc822_size());
	rc = mailimap_uid_fetch(session->imap, set, type, &result);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, IMAP_FAILURE_TEMPORARY, session,
			  "UID FETCH (RFC822.SIZE)", rc);
		return NULL;
	}
	for (guint i = 0; i < count; i++)
		g_hash_table_add(wanted, GUINT_TO_POINTER(uids[i]));
	sizes = g_hash_table_new(NULL, NULL);
	for (clistiter *it = clist_begin(result); it != NULL;
	     it = clist_next(it)) {
		struct mailimap_msg_att_static *uid, *size;

		/* Unsolicited FETCH responses (flag changes by other clients)
		 * can be mixed in: keep only complete answers we asked for. */
		uid = find_static(clist_content(it), MAILIMAP_MSG_ATT_UID);
		size = find_static(clist_content(it),
				   MAILIMAP_MSG_ATT_RFC822_SIZE);
		if (uid == NULL || size == NULL ||
		    !g_hash_table_contains(
			    wanted, GUINT_TO_POINTER(uid->att_data.att_uid)))
			continue;
		g_hash_table_insert(
			sizes, GUINT_TO_POINTER(uid->att_data.att_uid),
			GUINT_TO_POINTER(size->att_data.att_rfc822_size));
	}
	mailimap_fetch_list_free(result);
	return sizes;
}

GBytes *
imap_session_fetch_message(struct imap_session *session, guint32 uid,
			   gint64 max_bytes, gboolean *truncated,
			   GError **error)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_fetch_type *type;
	GBytes *bytes = NULL;
	clist *result = NULL;
	guint32 ask;
	int rc;

	/* Ask for one byte more than allowed: a server whose RFC822.SIZE
	 * understated the message is caught without reading all of it. */
	ask = max_bytes >= G_MAXUINT32 ? G_MAXUINT32 : (guint32)max_bytes + 1;
	*truncated = FALSE;
	type = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(
		type, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(
		type, mailimap_fetch_att_new_body_peek_section_partial(
			      mailimap_section_new(NULL), 0, ask));
	rc = mailimap_uid_fetch(session->imap, set, type, &result);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (rc != MAILIMAP_NO_ERROR) {
		g_autofree char *what =
			g_strdup_printf("UID FETCH %u BODY.PEEK[]", uid);

		set_error(error, IMAP_FAILURE_TEMPORARY, session, what, rc);
		return NULL;
	}
	for (clistiter *it = clist_begin(result); it != NULL;
	     it = clist_next(it)) {
		struct mailimap_msg_att_static *u, *body;
		struct mailimap_msg_att_body_section *section;

		u = find_static(clist_content(it), MAILIMAP_MSG_ATT_UID);
		body = find_static(clist_content(it),
				   MAILIMAP_MSG_ATT_BODY_SECTION);
		if (u == NULL || body == NULL || u->att_data.att_uid != uid)
			continue;
		section = body->att_data.att_body_section;
		if (section == NULL || section->sec_body_part == NULL) {
			g_set_error(error, IMAP_ERROR, IMAP_FAILURE_TEMPORARY,
				    "%s: UID FETCH %u returned no body",
				    session->where, uid);
			break;
		}
		/* The body may contain NULs: use the length. */
		if (section->sec_length > (gsize)max_bytes) {
			*truncated = TRUE;
			bytes = g_bytes_new(section->sec_body_part,
					    (gsize)max_bytes);
		} else {
			bytes = g_bytes_new(section->sec_body_part,
					    section->sec_length);
		}
		break;
	}
	mailimap_fetch_list_free(result);
	return bytes;
}

static gboolean
add_flags(struct imap_session *session, struct mailimap_set *set,
	  gboolean deleted, GError **error)
{
	struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags *store;
	int rc;

	mailimap_flag_list_add(flags, mailimap_flag_new_seen());
	mailimap_flag_list_add(flags, mailimap_flag_new_flag_keyword(
					      strdup(IMAP_PROCESSED_KEYWORD)));
	if (deleted)
		mailimap_flag_list_add(flags, mailimap_flag_new_deleted());
	store = mailimap_store_att_flags_new_add_flags_silent(flags);
	rc = mailimap_uid_store(session->imap, set, store);
	mailimap_store_att_flags_free(store);
	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, IMAP_FAILURE_TEMPORARY, session, "UID STORE",
			  rc);
		return FALSE;
	}
	return TRUE;
}

gboolean
imap_session_move(struct imap_session *session, const guint32 *uids,
		  guint count, const char *mailbox, GError **error)
{
	struct mailimap_set *set;
	gboolean ok = FALSE;
	int rc;

	if (count == 0)
		return TRUE;
	set = set_of(uids, count);
	if (mailbox == NULL || mailbox[0] == '\0') {
		ok = add_flags(session, set, FALSE, error);
		goto out;
	}
	if (session->has_move) {
		rc = mailimap_uid_move(session->imap, set, mailbox);
		if (rc != MAILIMAP_NO_ERROR)
			set_error(error, IMAP_FAILURE_TEMPORARY, session,
				  "UID MOVE", rc);
		ok = rc == MAILIMAP_NO_ERROR;
		goto out;
	}
	rc = mailimap_uid_copy(session->imap, set, mailbox);
	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, IMAP_FAILURE_TEMPORARY, session, "UID COPY",
			  rc);
		goto out;
	}
	/* The keyword goes on in every case: if the EXPUNGE is lost, the
	 * copy exists and the search must not pick the original again. */
	if (!add_flags(session, set, session->has_uidplus, error))
		goto out;
	if (session->has_uidplus) {
		rc = mailimap_uid_expunge(session->imap, set);
		if (rc != MAILIMAP_NO_ERROR) {
			set_error(error, IMAP_FAILURE_TEMPORARY, session,
				  "UID EXPUNGE", rc);
			goto out;
		}
	}
	ok = TRUE;
out:
	mailimap_set_free(set);
	return ok;
}

gboolean
imap_session_can_idle(struct imap_session *session)
{
	return session->has_idle;
}

const char *
imap_session_move_method(struct imap_session *session)
{
	if (session->has_move)
		return "move";
	if (session->has_uidplus)
		return "copy+expunge";
	return "copy+flag";
}

enum imap_wait
imap_session_idle(struct imap_session *session, int stop_fd,
		  int timeout_seconds, GError **error)
{
	enum imap_wait outcome = IMAP_WAIT_TIMEOUT;
	long left;
	int rc;

	rc = mailimap_idle(session->imap);
	if (rc != MAILIMAP_NO_ERROR) {
		set_error(error, IMAP_FAILURE_TEMPORARY, session, "IDLE", rc);
		return IMAP_WAIT_ERROR;
	}
	/* Data libetpan already buffered does not make the socket readable:
	 * look there first or we would sleep on news we hold. */
	if (session->imap->imap_stream->read_buffer_len > 0) {
		outcome = IMAP_WAIT_ACTIVITY;
	} else {
		struct pollfd fds[2] = {
			{.fd = mailimap_idle_get_fd(session->imap),
			 .events = POLLIN},
			{.fd = stop_fd, .events = POLLIN},
		};
		gint64 deadline;

		/* Re-issue IDLE before the server's 29-minute limit too. */
		left = mailimap_idle_get_done_delay(session->imap);
		if (left > timeout_seconds)
			left = timeout_seconds;
		if (left < 1)
			left = 1;
		deadline = g_get_monotonic_time() + left * G_USEC_PER_SEC;
		for (;;) {
			gint64 wait_ms =
				(deadline - g_get_monotonic_time()) / 1000;
			int n;

			if (wait_ms < 0)
				wait_ms = 0;
			n = poll(fds, 2, (int)wait_ms);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				g_set_error(error, IMAP_ERROR,
					    IMAP_FAILURE_TEMPORARY,
					    "%s: poll: %s", session->where,
					    g_strerror(errno));
				return IMAP_WAIT_ERROR;
			}
			if (n == 0)
				break;
			if (fds[1].revents != 0)
				outcome = IMAP_WAIT_STOP;
			else
				outcome = IMAP_WAIT_ACTIVITY;
			break;
		}
	}
	/* DONE also reads the untagged responses (EXISTS, BYE); a lost
	 * connection shows up here. */
	rc = mailimap_idle_done(session->imap);
	if (rc != MAILIMAP_NO_ERROR) {
		if (outcome == IMAP_WAIT_STOP)
			return IMAP_WAIT_STOP;
		set_error(error, IMAP_FAILURE_TEMPORARY, session, "IDLE DONE",
			  rc);
		return IMAP_WAIT_ERROR;
	}
	return outcome;
}
