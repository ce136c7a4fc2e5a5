/* classify.h — what kind of mail is this, before threading.
 *
 * Decides whether a message must never be answered (auto-reply, bounce,
 * mailing list, spam flagged upstream, our own mail coming back) from its
 * headers and structure: RFC 3834 Auto-Submitted, Precedence, List-Id,
 * X-Autoreply, X-Autorespond, X-Auto-Response-Suppress, empty Return-Path,
 * MAILER-DAEMON / postmaster senders, multipart/report, X-Spam-Flag and
 * X-Spam-Status, and our loop header.  Pure. */
#ifndef INTAKED_CLASSIFY_H
#define INTAKED_CLASSIFY_H

#include <gmime/gmime.h>

/* The header intaked puts on everything it sends; mail that arrives with
 * it for our own domain is our own. */
#define CLASSIFY_LOOP_HEADER "X-Intaked-Loop"

enum classify_kind {
	CLASSIFY_NORMAL,     /* a person wrote it: report or reply */
	CLASSIFY_AUTO_REPLY, /* out-of-office, vacation, auto-responder */
	CLASSIFY_BOUNCE,     /* delivery status notification */
	CLASSIFY_LIST,	     /* mailing list or bulk */
	CLASSIFY_SPAM,	     /* flagged by an upstream filter */
	CLASSIFY_OWN,	     /* our own mail looping back */
};

struct classify_result {
	enum classify_kind kind;
	const char *reason; /* static: which header or rule decided */
	/* bounces only: the Message-ID (without <>) of the mail that bounced,
	 * from the DSN's returned headers or body; caller frees; may be NULL */
	char *bounced_message_id;
	/* bounces only: "failed" for permanent (5.x.x) or "delayed" */
	const char *bounce_action;
};

/* own_address: the CERT address; own_domain: its domain (a message whose
 * own Message-ID is "intaked.*@own_domain" is our own coming back).
 * Rules run in the order own, bounce, auto-reply, list, spam; the first
 * match decides and names itself in result->reason ("loop-header",
 * "auto-submitted:auto-replied", "precedence:bulk", "list-id",
 * "multipart/report;delivery-status", "return-path:<>", ...; "normal" when
 * none matched).  classify.c documents the judgement calls. */
void classify_message(GMimeMessage *message, const char *own_address,
		      const char *own_domain, struct classify_result *result);
void classify_result_clear(struct classify_result *result);

/* "report"-independent names: normal, auto_reply, bounce, list, spam, own */
const char *classify_kind_name(enum classify_kind kind);

#endif
