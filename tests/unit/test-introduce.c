/* test-introduce.c — the providers' side of the support half against a
 * real store (no mocks): what an introduction carries, whose answer to it
 * counts (the proof rules of docs/providers.md, "The support flow"),
 * declines, back-outs and re-matching, deadlines, pauses, needs nobody
 * offers, and the follow-up.  The fixture is support-fixture.h. */
#include "support-fixture.h"

/* An introduction carries the consented fields and nothing else: not a
 * field outside support.share_fields, and not one that got a value only
 * after the consent request (the requester never saw it offered). */
static void
test_introduction_content(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(StoreOutbox) intro = NULL;
	g_autoptr(GPtrArray) intros = NULL;
	g_autofree char *text = NULL;
	gsize len;
	const char *bytes;

	drive_to_consent(f, "pentest");
	set_field(f, "systems_affected", "ZEBRASYSTEM");
	set_field(f, "location", "9000 ZEBRALOCATION");
	/* A shared field changed after the request: the requester agreed
	 * to the value the request showed. */
	set_field(f, "contact_phone", "+32 9 999 99 99 ZEBRAPHONE");
	consent = consent_of(f);
	g_assert_null(strstr(consent->fields, "location"));
	give_consent(f);

	intros = outbox_of(f, "introduction_provider");
	g_assert_cmpuint(intros->len, ==, 1);
	intro = store_outbox_get(f->store,
				 ((struct store_outbox *)intros->pdata[0])->id,
				 &error);
	g_assert_no_error(error);
	bytes = g_bytes_get_data(intro->raw, &len);
	text = g_strndup(bytes, len);
	g_assert_nonnull(strstr(text, "AZ Testziekenhuis"));
	g_assert_nonnull(strstr(text, "+32475550123"));
	g_assert_null(strstr(text, "ZEBRAPHONE"));
	g_assert_null(strstr(text, "ZEBRASYSTEM"));
	g_assert_null(strstr(text, "ZEBRALOCATION"));
	/* Nor the report's own words. */
	g_assert_null(strstr(text, "goes live"));
}

/* A provider answer counts only from the provider introduced, with the
 * token of its own introduction. */
static void
test_provider_rejected(struct fixture *f, gconstpointer data)
{
	g_autofree char *ack = NULL, *alpha_intro = NULL, *state = NULL;
	g_autofree char *alpha = NULL, *charlie = NULL;
	g_autofree char *subject = NULL, *raw = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	g_assert_cmpuint(introduction_count(f), ==, 1);

	/* Not introduced, only the case tag. */
	subject = g_strdup_printf("Re: [CERT-%s] we accept", f->case_id);
	raw = mail_text(f, "prov3@example.test", subject, NULL,
			"We accept this case and will contact the hospital.");
	import(f, raw);
	g_assert_cmpuint(event_count(f, "provider_rejected"), ==, 1);

	/* Not introduced, quoting another provider's introduction. */
	alpha_intro = introduction_message_id(f, "alpha");
	send(f, "prov3@example.test", alpha_intro, "We accept.");
	g_assert_cmpuint(event_count(f, "provider_rejected"), ==, 2);

	/* Introduced, but with the token of another of our mails (the
	 * acknowledgement), not of its introduction. */
	ack = newest_message_id(f, "ack");
	send(f, "prov1@example.test", ack, "We accept.");
	g_assert_cmpuint(event_count(f, "provider_rejected"), ==, 3);

	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "introduced");
	charlie = introduction_state(f, "charlie");
	g_assert_null(charlie);
	g_assert_cmpuint(introduction_count(f), ==, 1);
	g_assert_cmpuint(event_count(f, "provider_accepted"), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 3);
}

/* Nobody offers the need: the case is unmatched and staff are told. */
static void
test_unmatched(struct fixture *f, gconstpointer data)
{
	g_autofree char *state = NULL;

	drive_to_consent(f, "appsec");
	give_consent(f);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "unmatched");
	g_assert_cmpuint(introduction_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 0);
	g_assert_cmpuint(event_count(f, "unmatched"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 1);
}

/* One need is covered, another by nobody: the covered one goes out, and
 * staff hear of the other (they look for help). */
static void
test_uncovered(struct fixture *f, gconstpointer data)
{
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest,appsec");
	give_consent(f);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
	g_assert_cmpuint(introduction_count(f), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_requester"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 1);
}

/* A provider paused from intakectl (in the database) is passed over. */
static void
test_paused(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *alpha = NULL, *bravo = NULL;

	drive_to_consent(f, "pentest");
	g_assert_true(store_provider_pause(f->store, "alpha", TRUE, "alice",
					   "holiday", 0, &error));
	g_assert_no_error(error);
	give_consent(f);
	alpha = introduction_state(f, "alpha");
	g_assert_null(alpha);
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
}

/* A decline brings the next candidate; an acceptance puts the case in
 * progress. */
static void
test_decline_accept(struct fixture *f, gconstpointer data)
{
	g_autofree char *alpha_intro = NULL, *bravo_intro = NULL;
	g_autofree char *alpha = NULL, *bravo = NULL, *state = NULL;
	g_autofree char *bravo_after = NULL, *state_after = NULL;
	g_autoptr(GPtrArray) rematch = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_intro,
	     "Sorry, we have to decline: no capacity this month.");

	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "declined");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 2);
	rematch = outbox_of(f, "rematch_requester");
	g_assert_cmpuint(rematch->len, ==, 1);
	g_assert_cmpstr(((struct store_outbox *)rematch->pdata[0])->rcpt_to, ==,
			REQUESTER);
	g_assert_cmpuint(event_count(f, "provider_declined"), ==, 1);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");

	bravo_intro = introduction_message_id(f, "bravo");
	send(f, "prov2@example.test", bravo_intro,
	     "We accept. We will call Jan tomorrow.");
	bravo_after = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo_after, ==, "accepted");
	state_after = case_state(f);
	g_assert_cmpstr(state_after, ==, "in_progress");
	g_assert_cmpuint(event_count(f, "provider_accepted"), ==, 1);
	/* Nobody else is asked. */
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 2);
}

/* A provider that accepted and then backs out: the next candidate is
 * introduced and the case waits for it again. */
static void
test_accept_then_decline(struct fixture *f, gconstpointer data)
{
	g_autofree char *alpha_intro = NULL, *alpha = NULL, *bravo = NULL;
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_intro, "We accept.");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");

	send(f, "prov1@example.test", alpha_intro,
	     "Sorry, we have to decline after all: no capacity this month.");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "declined");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);
	g_free(state);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
}

/* The same when no one replaces it but another provider is still asked
 * for another need: the case waits for that one, and staff look for
 * help with the need left. */
static void
test_accept_then_decline_no_replacement(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *alpha_intro = NULL, *alpha = NULL, *charlie = NULL;
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest,forensics");
	g_assert_true(store_provider_pause(f->store, "bravo", TRUE, "alice",
					   "holiday", 0, &error));
	g_assert_no_error(error);
	give_consent(f);
	alpha_intro = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_intro, "We accept.");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");

	send(f, "prov1@example.test", alpha_intro,
	     "Sorry, we have to decline after all: no capacity this month.");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "declined");
	charlie = introduction_state(f, "charlie");
	g_assert_cmpstr(charlie, ==, "introduced");
	g_assert_cmpuint(introduction_count(f), ==, 2);
	g_assert_cmpuint(event_count(f, "unmatched"), ==, 1);
	g_free(state);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
}

/* The timers: a deadline passes, the next candidate is introduced; the
 * follow-up goes out once. */
static void
test_due(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreIntroduction) alpha_intro = NULL;
	g_autoptr(StoreIntroduction) bravo_intro = NULL;
	g_autoptr(StoreQualification) q = NULL;
	g_autofree char *alpha = NULL, *bravo = NULL, *bravo_id = NULL;
	g_autofree char *state = NULL, *followup = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gint64 next_due = 0;
	gint64 now;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_of(f, "alpha");
	now = alpha_intro->introduced_at;
	g_assert_cmpint(alpha_intro->deadline_at, ==, now + ANSWER_DEADLINE);

	/* Not yet due: nothing, but we learn when. */
	g_assert_cmpint(support_due(&pipeline, now, &next_due, &error), ==, 0);
	g_assert_no_error(error);
	g_assert_cmpint(next_due, ==, now + ANSWER_DEADLINE);

	/* Due: alpha expires, bravo is introduced, the requester told. */
	g_assert_cmpint(support_due(&pipeline, now + ANSWER_DEADLINE, &next_due,
				    &error),
			==, 1);
	g_assert_no_error(error);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "expired");
	bravo_intro = introduction_of(f, "bravo");
	g_assert_nonnull(bravo_intro);
	g_assert_cmpstr(bravo_intro->state, ==, "introduced");
	g_assert_cmpint(bravo_intro->deadline_at, >=, now + ANSWER_DEADLINE);
	g_assert_cmpuint(event_count(f, "provider_no_answer"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 2);

	/* Alpha is done with; bravo's deadline is later. */
	g_assert_cmpint(support_due(&pipeline, now + ANSWER_DEADLINE - 1,
				    &next_due, &error),
			==, 0);
	g_assert_cmpint(next_due, ==, bravo_intro->deadline_at);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);

	bravo_id = introduction_message_id(f, "bravo");
	send(f, "prov2@example.test", bravo_id, "We accept.");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "accepted");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_clear_pointer(&bravo_intro, store_introduction_free);
	bravo_intro = introduction_of(f, "bravo");

	/* The follow-up: not before followup_after, then once. */
	g_assert_cmpint(support_due(&pipeline, bravo_intro->answered_at,
				    &next_due, &error),
			==, 0);
	g_assert_cmpint(next_due, ==,
			bravo_intro->answered_at + FOLLOWUP_AFTER);
	g_assert_cmpuint(outbox_count(f, "followup_requester"), ==, 0);
	g_assert_cmpint(support_due(&pipeline,
				    bravo_intro->answered_at + FOLLOWUP_AFTER,
				    &next_due, &error),
			==, 1);
	g_assert_no_error(error);
	g_assert_cmpuint(outbox_count(f, "followup_requester"), ==, 1);
	g_assert_cmpint(support_due(&pipeline,
				    bravo_intro->answered_at + FOLLOWUP_AFTER,
				    &next_due, &error),
			==, 0);
	g_assert_cmpint(support_due(&pipeline, bravo_intro->answered_at + 9999,
				    &next_due, &error),
			==, 0);
	g_assert_no_error(error);
	g_assert_cmpuint(outbox_count(f, "followup_requester"), ==, 1);
	g_assert_cmpuint(event_count(f, "followup_sent"), ==, 1);
	q = store_qualification_get(f->store, f->case_id, &error);
	g_assert_no_error(error);
	g_assert_cmpint(q->followup_outbox, >, 0);

	/* The answer counts only with the follow-up's token. */
	send(f, REQUESTER, NULL, "Yes.");
	g_clear_pointer(&state, g_free);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_assert_cmpuint(event_count(f, "followup_answer"), ==, 0);
	followup = newest_message_id(f, "followup_requester");
	send(f, REQUESTER, followup, "Yes, thank you.");
	g_clear_pointer(&state, g_free);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "resolved");
	g_assert_cmpuint(event_count(f, "followup_answer"), ==, 1);
}

/* A provider that lets its deadline pass and accepts later is recorded,
 * and staff are told (the next candidate may be on it too). */
static void
test_late_accept(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreIntroduction) alpha_intro = NULL;
	g_autofree char *alpha_id = NULL, *alpha = NULL, *bravo = NULL;
	g_autofree char *state = NULL;
	struct pipeline pipeline = pipeline_of(f);
	guint staff_before;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_of(f, "alpha");
	g_assert_cmpint(
		support_due(&pipeline, alpha_intro->deadline_at, NULL, &error),
		==, 1);
	g_assert_no_error(error);
	staff_before = outbox_count(f, "staff_attention");

	alpha_id = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_id, "We accept.");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "accepted");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
}

/* The same for a provider that declined and then accepts after all. */
static void
test_accept_after_decline(struct fixture *f, gconstpointer data)
{
	g_autofree char *alpha_id = NULL, *alpha = NULL, *bravo = NULL;
	g_autofree char *state = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_id = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_id,
	     "Sorry, we have to decline: no capacity this month.");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	staff_before = outbox_count(f, "staff_attention");

	send(f, "prov1@example.test", alpha_id,
	     "We accept after all, we found someone.");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "accepted");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
}

/* A provider's answer signed by the key providers.conf names for it
 * counts without the token; another key does not. */
static void
test_signed_provider(struct fixture *f, gconstpointer data)
{
	g_autofree char *after_other = NULL, *after_own = NULL;
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	g_assert_true(read_signed(f, "prov1@example.test", "We accept.",
				  OTHER_KEY, FALSE));
	after_other = introduction_state(f, "alpha");
	g_assert_cmpstr(after_other, ==, "introduced");
	g_assert_cmpuint(event_count(f, "provider_rejected"), ==, 1);

	g_assert_true(read_signed(f, "prov1@example.test", "We accept.",
				  ALPHA_KEY, FALSE));
	after_own = introduction_state(f, "alpha");
	g_assert_cmpstr(after_own, ==, "accepted");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
}

/* The introduction bounces for good (the provider's address is gone):
 * it expires at once and the next candidate is asked, without waiting
 * for the deadline. */
static void
test_bounced(struct fixture *f, gconstpointer data)
{
	g_autofree char *alpha_intro = NULL, *raw = NULL;
	g_autofree char *alpha = NULL, *bravo = NULL, *state = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_message_id(f, "alpha");
	raw = g_strdup_printf("From: MAILER-DAEMON@mx.example.test\r\n"
			      "To: cert@example.test\r\n"
			      "Subject: Undelivered Mail Returned to Sender\r\n"
			      "Message-ID: <dsn1@mx.example.test>\r\n"
			      "Auto-Submitted: auto-replied\r\n"
			      "MIME-Version: 1.0\r\n"
			      "Content-Type: multipart/report; "
			      "report-type=delivery-status; boundary=\"b\"\r\n"
			      "\r\n"
			      "--b\r\n"
			      "Content-Type: text/plain\r\n\r\n"
			      "Your message could not be delivered.\r\n"
			      "--b\r\n"
			      "Content-Type: message/delivery-status\r\n\r\n"
			      "Reporting-MTA: dns; mx.example.test\r\n\r\n"
			      "Final-Recipient: rfc822; prov1@example.test\r\n"
			      "Action: failed\r\n"
			      "Status: 5.1.1\r\n"
			      "--b\r\n"
			      "Content-Type: text/rfc822-headers\r\n\r\n"
			      "From: cert@example.test\r\n"
			      "To: prov1@example.test\r\n"
			      "Message-ID: <%s>\r\n"
			      "--b--\r\n",
			      alpha_intro);
	import(f, raw);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "expired");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	g_assert_cmpuint(event_count(f, "provider_unreachable"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	log_set_level(LOG_LEVEL_ERROR);
#define ADD(path, fn)                                                          \
	g_test_add("/introduce/" path, struct fixture, NULL, fixture_set_up,   \
		   fn, fixture_tear_down)
	ADD("introduction-content", test_introduction_content);
	ADD("provider-rejected", test_provider_rejected);
	ADD("unmatched", test_unmatched);
	ADD("uncovered", test_uncovered);
	ADD("paused", test_paused);
	ADD("decline-accept", test_decline_accept);
	ADD("accept-then-decline", test_accept_then_decline);
	ADD("accept-then-decline-no-replacement",
	    test_accept_then_decline_no_replacement);
	ADD("due", test_due);
	ADD("late-accept", test_late_accept);
	ADD("accept-after-decline", test_accept_after_decline);
	ADD("signed-provider", test_signed_provider);
	ADD("bounced", test_bounced);
#undef ADD
	return g_test_run();
}
