/* tls-verify.h — check a libetpan TLS stream's certificate ourselves.
 *
 * Debian's libetpan (GnuTLS build) verifies nothing: not the chain, not the
 * host name.  After every handshake (implicit TLS or STARTTLS), and before
 * any LOGIN or AUTH, the IMAP and SMTP modules call tls_verify_stream().
 * Only this file and the protocol modules see libetpan's mailstream. */
#ifndef INTAKED_TLS_VERIFY_H
#define INTAKED_TLS_VERIFY_H

#include <glib.h>

struct _mailstream;

/* Verifies the peer chain of stream for host (DNS name or IP literal)
 * against ca_file (PEM; NULL or "" for the system trust store).  Returns
 * FALSE with error "host: certificate ... (reason)" when the chain is not
 * trusted, the name does not match, or no certificate was presented. */
gboolean tls_verify_stream(struct _mailstream *stream, const char *host,
			   const char *ca_file, GError **error);

#endif
