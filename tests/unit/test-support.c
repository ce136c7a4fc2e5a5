/* test-support.c — the requester's side of the support half against a
 * real store (no mocks): whose consent and withdrawal counts (the proof
 * rules of docs/providers.md, "The support flow"), unclear and refused
 * answers, staff decisions, and what must change nothing (a second mail,
 * auto-replies, staff answering a note).  The providers' side is
 * test-introduce.c; the fixture is support-fixture.h. */
#include "support-fixture.h"

/* The requester, with the request's token, says yes. */
static void
test_consent_given(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *state = NULL;
	g_autofree char *alpha = NULL, *charlie = NULL, *bravo = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(GPtrArray) intros = NULL;
	g_autoptr(GPtrArray) to_requester = NULL;
	gint64 msg;

	/* No provider covers both needs: one for each. */
	drive_to_consent(f, "pentest,forensics");
	request = newest_message_id(f, "consent_request");
	msg = send(f, REQUESTER, request, "Yes, we consent.\r\n\r\nJan");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "given");
	g_assert_cmpstr(consent->proof, ==, "token");
	g_assert_cmpstr(consent->answered_by, ==, REQUESTER);
	g_assert_cmpint(consent->message, ==, msg);
	g_assert_cmpint(consent->answered_at, >, 0);
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 1);

	intros = outbox_of(f, "introduction_provider");
	g_assert_cmpuint(intros->len, ==, 2);
	g_assert_cmpstr(((struct store_outbox *)intros->pdata[0])->rcpt_to, ==,
			"prov1@example.test");
	g_assert_cmpstr(((struct store_outbox *)intros->pdata[1])->rcpt_to, ==,
			"prov3@example.test");
	g_assert_cmpuint(introduction_count(f), ==, 2);
	alpha = introduction_state(f, "alpha");
	charlie = introduction_state(f, "charlie");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(alpha, ==, "introduced");
	g_assert_cmpstr(charlie, ==, "introduced");
	g_assert_null(bravo);
	to_requester = outbox_of(f, "introduction_requester");
	g_assert_cmpuint(to_requester->len, ==, 1);
	g_assert_cmpstr(
		((struct store_outbox *)to_requester->pdata[0])->rcpt_to, ==,
		REQUESTER);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
}

/* Another address answers the consent request with a yes. */
static void
test_consent_other_address(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	staff_before = outbox_count(f, "staff_attention");
	send(f, "colleague@hospital-b.example.test", request, "yes");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 1);
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
	g_assert_cmpuint(introduction_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
}

/* Nobody answers the consent request: after questions.reminder_after it
 * is asked again (a reminder), up to support.max_consent_asks (2 here);
 * then staff hear of it, once. */
static void
test_consent_reminder(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreConsent) after = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 next_due = 0;
	guint staff_before;

	drive_to_consent(f, "pentest");
	staff_before = outbox_count(f, "staff_attention");
	g_assert_cmpint(support_due(&pipeline, now, &next_due, &error), ==, 0);
	g_assert_no_error(error);
	g_assert_cmpint(next_due, >=, now + 86400 - 5);
	g_assert_cmpint(next_due, <=, now + 86400 + 5);

	g_assert_cmpint(support_due(&pipeline, now + 86400 + 10, NULL, &error),
			==, 1);
	g_assert_no_error(error);
	after = consent_of(f);
	g_assert_cmpint(after->asks, ==, 2);
	g_assert_cmpstr(after->state, ==, "requested");
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 2);

	/* The second request is the last one: staff, once. */
	g_assert_cmpint(support_due(&pipeline, now + 3 * 86400, NULL, &error),
			==, 1);
	g_assert_cmpint(support_due(&pipeline, now + 4 * 86400, NULL, &error),
			==, 0);
	g_assert_no_error(error);
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 2);
	g_assert_cmpuint(event_count(f, "consent_unanswered"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
}

/* A flood of attempts: each is on the timeline, but staff get at most
 * STAFF_NOTES_PER_CASE_PER_HOUR (10) mails about them in an hour. */
static void
test_attempt_flood(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	staff_before = outbox_count(f, "staff_attention");
	for (int i = 0; i < 15; i++)
		send(f, "intruder@elsewhere.example.test", request,
		     "Yes, we consent.");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 15);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 10);
	g_assert_cmpuint(staff_before, <=, 10);
}

/* The requester's address, but only the public case tag: a From is
 * easily forged, so the yes is not counted. */
static void
test_consent_tag_only(struct fixture *f, gconstpointer data)
{
	g_autofree char *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;

	drive_to_consent(f, "pentest");
	send(f, REQUESTER, NULL, "yes");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 1);
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 0);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 1);
	g_assert_cmpuint(introduction_count(f), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
}

/* Unclear answers are asked again, up to support.max_consent_asks
 * requests; then staff. */
static void
test_consent_unclear(struct fixture *f, gconstpointer data)
{
	g_autofree char *first = NULL, *second = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(StoreConsent) after = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	first = newest_message_id(f, "consent_request");
	send(f, REQUESTER, first, "We must first ask our DPO.");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 2);
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 2);
	g_assert_cmpuint(event_count(f, "consent_unclear"), ==, 1);
	second = newest_message_id(f, "consent_request");
	g_assert_cmpstr(second, !=, first);

	/* The second request was the last one (max_consent_asks = 2). */
	staff_before = outbox_count(f, "staff_attention");
	send(f, REQUESTER, second, "We must first ask our DPO, sorry.");
	after = consent_of(f);
	g_assert_cmpstr(after->state, ==, "requested");
	g_assert_cmpint(after->asks, ==, 2);
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 2);
	g_assert_cmpuint(event_count(f, "consent_unclear"), ==, 2);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
	g_assert_cmpuint(introduction_count(f), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
}

/* A proven no. */
static void
test_consent_refused(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(GPtrArray) refused = NULL;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	send(f, REQUESTER, request, "No thanks.");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "refused");
	g_assert_cmpstr(consent->proof, ==, "token");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "consent_refused");
	refused = outbox_of(f, "consent_refused");
	g_assert_cmpuint(refused->len, ==, 1);
	g_assert_cmpstr(((struct store_outbox *)refused->pdata[0])->rcpt_to, ==,
			REQUESTER);
	g_assert_cmpuint(introduction_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 0);
}

/* Withdrawal needs the words and the proof; "no help yet" is not
 * one. */
static void
test_withdrawal(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *told = NULL, *intro = NULL;
	g_autofree char *state = NULL, *state_after = NULL, *alpha = NULL;
	g_autofree char *charlie_intro = NULL, *charlie = NULL;
	g_autoptr(StoreConsent) still = NULL;
	g_autoptr(StoreConsent) forged = NULL;
	g_autoptr(StoreConsent) by_provider = NULL;
	g_autoptr(StoreConsent) withdrawn = NULL;
	g_autoptr(GPtrArray) to_provider = NULL;
	g_autoptr(GPtrArray) to_requester = NULL;

	/* Two providers: charlie accepts, alpha has not answered. */
	drive_to_consent(f, "pentest,forensics");
	give_consent(f);
	charlie_intro = introduction_message_id(f, "charlie");
	send(f, "prov3@example.test", charlie_intro, "We accept.");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_clear_pointer(&state, g_free);
	told = newest_message_id(f, "introduction_requester");
	send(f, REQUESTER, told, "No, help has not arrived yet.");
	still = consent_of(f);
	g_assert_cmpstr(still->state, ==, "given");
	g_assert_cmpuint(event_count(f, "consent_withdrawn"), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");

	/* From another address: rejected. */
	request = newest_message_id(f, "consent_request");
	send(f, "colleague@hospital-b.example.test", request,
	     "We withdraw our consent.");
	forged = consent_of(f);
	g_assert_cmpstr(forged->state, ==, "given");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);

	/* The requester's From (easily forged) with the token of a mail we
	 * sent to the provider, not to the requester: a provider (who knows
	 * the requester's address from the introduction) cannot stop the
	 * help this way. */
	intro = introduction_message_id(f, "alpha");
	send(f, REQUESTER, intro, "We withdraw our consent.");
	by_provider = consent_of(f);
	g_assert_cmpstr(by_provider->state, ==, "given");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 2);
	g_assert_cmpuint(outbox_count(f, "consent_withdrawn_provider"), ==, 0);

	send(f, REQUESTER, request, "We withdraw our consent.");
	withdrawn = consent_of(f);
	g_assert_cmpstr(withdrawn->state, ==, "withdrawn");
	g_assert_cmpint(withdrawn->withdrawn_at, >, 0);
	g_assert_cmpstr(withdrawn->withdrawn_by, ==, REQUESTER);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "withdrawn");
	charlie = introduction_state(f, "charlie");
	g_assert_cmpstr(charlie, ==, "withdrawn");
	to_provider = outbox_of(f, "consent_withdrawn_provider");
	g_assert_cmpuint(to_provider->len, ==, 2);
	g_assert_cmpstr(((struct store_outbox *)to_provider->pdata[0])->rcpt_to,
			==, "prov1@example.test");
	g_assert_cmpstr(((struct store_outbox *)to_provider->pdata[1])->rcpt_to,
			==, "prov3@example.test");
	to_requester = outbox_of(f, "consent_withdrawn");
	g_assert_cmpuint(to_requester->len, ==, 1);
	g_assert_cmpstr(
		((struct store_outbox *)to_requester->pdata[0])->rcpt_to, ==,
		REQUESTER);
	state_after = case_state(f);
	g_assert_cmpstr(state_after, ==, "consent_withdrawn");

	/* A provider answering after that changes nothing, and nobody is
	 * introduced in its place. */
	send(f, "prov1@example.test", intro, "We accept.");
	g_clear_pointer(&alpha, g_free);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "withdrawn");
	g_clear_pointer(&state_after, g_free);
	state_after = case_state(f);
	g_assert_cmpstr(state_after, ==, "consent_withdrawn");
	send(f, "prov1@example.test", intro, "Sorry, we decline.");
	g_assert_cmpuint(introduction_count(f), ==, 2);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 0);
}

/* The same consent mail imported twice introduces once. */
static void
test_idempotent(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *subject = NULL, *raw = NULL;
	g_autofree char *alpha_id = NULL, *decline = NULL;
	g_autoptr(StoreConsent) consent = NULL;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	subject = g_strdup_printf("Re: [CERT-%s] Your consent", f->case_id);
	raw = mail_text(f, REQUESTER, subject, request, "Yes, we consent.");
	import(f, raw);
	import(f, raw);

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "given");
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 1);
	g_assert_cmpuint(introduction_count(f), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_requester"), ==, 1);
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 0);

	/* A second yes, a new mail: consent is given already. */
	send(f, REQUESTER, request, "Yes, we consent. Jan");
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 1);

	/* The same decline twice: one replacement. */
	alpha_id = introduction_message_id(f, "alpha");
	decline = mail_text(f, "prov1@example.test", subject, alpha_id,
			    "Sorry, we decline.");
	import(f, decline);
	import(f, decline);
	g_assert_cmpuint(event_count(f, "provider_declined"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 2);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);
}

/* Staff took the case back as an incident while the consent request was
 * out: a later yes to that request introduces nobody. */
static void
test_consent_after_incident(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *request = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gboolean queued = FALSE;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	g_assert_true(support_qualify_by_staff(&pipeline, f->case_id,
					       QUALIFY_INCIDENT, "alice",
					       &queued, &error));
	g_assert_no_error(error);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "incident");

	send(f, REQUESTER, request, "Yes, we consent.");
	g_assert_cmpuint(introduction_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 0);
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 0);
	g_free(state);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "incident");
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	/* Staff are told the requester answered. */
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 1);

	/* Nor does an unclear answer ask again (which would move the case
	 * back to awaiting_consent). */
	send(f, REQUESTER, request, "We must first ask our DPO.");
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 1);
	g_free(state);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "incident");
}

/* Staff withdraw on the requester's behalf: only a consent given. */
static void
test_withdraw_by_staff(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreConsent) requested = NULL;
	g_autoptr(StoreConsent) withdrawn = NULL;
	g_autofree char *state = NULL, *alpha = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gboolean queued = FALSE;

	drive_to_consent(f, "pentest");
	g_assert_false(support_withdraw_by_staff(&pipeline, f->case_id, "alice",
						 &queued, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	requested = consent_of(f);
	g_assert_cmpstr(requested->state, ==, "requested");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
	g_assert_cmpuint(outbox_count(f, "consent_withdrawn"), ==, 0);

	give_consent(f);
	g_assert_true(support_withdraw_by_staff(&pipeline, f->case_id, "alice",
						&queued, &error));
	g_assert_no_error(error);
	g_assert_true(queued);
	withdrawn = consent_of(f);
	g_assert_cmpstr(withdrawn->state, ==, "withdrawn");
	g_assert_cmpstr(withdrawn->withdrawn_by, ==, "staff:alice");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "withdrawn");
	g_assert_cmpuint(outbox_count(f, "consent_withdrawn_provider"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "consent_withdrawn"), ==, 1);
	g_clear_pointer(&state, g_free);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "consent_withdrawn");
}

/* The requester's pinned key proves a consent and a withdrawal. */
static void
test_signed_requester(struct fixture *f, gconstpointer data)
{
	g_autoptr(StoreConsent) unsigned_yes = NULL;
	g_autoptr(StoreConsent) given = NULL;
	g_autoptr(StoreConsent) withdrawn = NULL;
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest");
	/* Signed, but not by the key pinned to the requester. */
	g_assert_true(read_signed(f, REQUESTER, "Yes, we consent.", OTHER_KEY,
				  FALSE));
	unsigned_yes = consent_of(f);
	g_assert_cmpstr(unsigned_yes->state, ==, "requested");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);

	g_assert_true(
		read_signed(f, REQUESTER, "Yes, we consent.", OTHER_KEY, TRUE));
	given = consent_of(f);
	g_assert_cmpstr(given->state, ==, "given");
	g_assert_cmpstr(given->proof, ==, "signature");
	g_assert_cmpuint(introduction_count(f), ==, 1);

	/* A withdrawal without a token or signature is rejected; signed by
	 * the pinned key it counts. */
	g_assert_true(read_signed(f, REQUESTER, "We withdraw our consent.",
				  NULL, FALSE));
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 2);
	g_assert_true(read_signed(f, REQUESTER, "We withdraw our consent.",
				  OTHER_KEY, TRUE));
	withdrawn = consent_of(f);
	g_assert_cmpstr(withdrawn->state, ==, "withdrawn");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "consent_withdrawn");
}

/* A peer's Message-ID we cannot write back (no "@") neither fails the
 * reply to it nor stops the intake: the reply goes without In-Reply-To. */
static void
test_odd_message_id(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *request = NULL, *raw = NULL, *state = NULL;
	g_autoptr(GPtrArray) refused = NULL;
	g_autoptr(StoreOutbox) entry = NULL;
	GMimeMessage *mime;
	struct mime_limits limits = {
		.max_header_bytes = 65536, .max_depth = 10, .max_parts = 100};
	gsize len;
	const guint8 *bytes;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	raw = g_strdup_printf("From: " REQUESTER "\r\n"
			      "To: cert@example.test\r\n"
			      "Subject: Re: consent\r\n"
			      "Message-ID: <20261203.1234>\r\n"
			      "References: <%s>\r\n"
			      "In-Reply-To: <%s>\r\n"
			      "\r\n"
			      "No thanks.\r\n",
			      request, request);
	import(f, raw);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "consent_refused");
	refused = outbox_of(f, "consent_refused");
	g_assert_cmpuint(refused->len, ==, 1);
	entry = store_outbox_get(f->store,
				 ((struct store_outbox *)refused->pdata[0])->id,
				 &error);
	g_assert_no_error(error);
	bytes = g_bytes_get_data(entry->raw, &len);
	mime = mime_parse(bytes, len, &limits, &error);
	g_assert_no_error(error);
	g_assert_null(
		g_mime_object_get_header(GMIME_OBJECT(mime), "In-Reply-To"));
	/* The thread is kept by what can be written back. */
	g_assert_nonnull(strstr(
		g_mime_object_get_header(GMIME_OBJECT(mime), "References"),
		request));
}

/* Staff answering their own note on the case ("yes, I will call them")
 * is not a consent attempt, and gets no note about itself. */
static void
test_staff_reply(struct fixture *f, gconstpointer data)
{
	g_autofree char *note = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	/* A rejected attempt gives staff a note to answer. */
	send(f, "colleague@hospital-b.example.test", NULL, "Yes, go ahead.");
	staff_before = outbox_count(f, "staff_attention");
	g_assert_cmpuint(staff_before, ==, 1);
	note = newest_message_id(f, "staff_attention");
	send(f, "staff@example.test", note, "Yes, I will call them.");
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, staff_before);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
}

/* Auto-replies are never read as answers: an out-of-office to the
 * consent request asks nothing again, one to an introduction is no
 * decline (so nothing can loop). */
static void
test_auto_replies(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *intro = NULL, *alpha = NULL;
	g_autofree char *ooo = NULL, *ooo2 = NULL, *subject = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	ooo = g_strdup_printf("From: " REQUESTER "\r\n"
			      "To: cert@example.test\r\n"
			      "Subject: Automatic reply: Your consent\r\n"
			      "Message-ID: <ooo1@hospital-a.example.test>\r\n"
			      "In-Reply-To: <%s>\r\n"
			      "Auto-Submitted: auto-replied\r\n"
			      "\r\n"
			      "I am out of the office. Yes, I will answer on "
			      "Monday.\r\n",
			      request);
	import(f, ooo);
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 1);
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 0);

	give_consent(f);
	intro = introduction_message_id(f, "alpha");
	staff_before = outbox_count(f, "staff_attention");
	subject = g_strdup_printf("Automatic reply: [CERT-%s]", f->case_id);
	ooo2 = g_strdup_printf("From: prov1@example.test\r\n"
			       "To: cert@example.test\r\n"
			       "Subject: %s\r\n"
			       "Message-ID: <ooo2@example.test>\r\n"
			       "In-Reply-To: <%s>\r\n"
			       "Auto-Submitted: auto-replied\r\n"
			       "\r\n"
			       "Sorry, we are away and must decline all mail "
			       "until Monday.\r\n",
			       subject, intro);
	import(f, ooo2);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "introduced");
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, staff_before);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	log_set_level(LOG_LEVEL_ERROR);
#define ADD(path, fn)                                                          \
	g_test_add("/support/" path, struct fixture, NULL, fixture_set_up, fn, \
		   fixture_tear_down)
	ADD("consent-given", test_consent_given);
	ADD("consent-other-address", test_consent_other_address);
	ADD("consent-tag-only", test_consent_tag_only);
	ADD("attempt-flood", test_attempt_flood);
	ADD("consent-reminder", test_consent_reminder);
	ADD("staff-reply", test_staff_reply);
	ADD("consent-unclear", test_consent_unclear);
	ADD("consent-refused", test_consent_refused);
	ADD("consent-after-incident", test_consent_after_incident);
	ADD("withdrawal", test_withdrawal);
	ADD("withdraw-by-staff", test_withdraw_by_staff);
	ADD("idempotent", test_idempotent);
	ADD("auto-replies", test_auto_replies);
	ADD("odd-message-id", test_odd_message_id);
	ADD("signed-requester", test_signed_requester);
#undef ADD
	return g_test_run();
}
