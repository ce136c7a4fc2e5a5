/* tls-verify.c — verify a libetpan TLS peer with GnuTLS.
 *
 * libetpan's GnuTLS build performs the handshake with priority "NORMAL" and
 * never checks the peer; its session is not reachable from outside.  What it
 * does expose is the peer's DER chain, so we rebuild the check GnuTLS would
 * have made: chain to a trusted root, validity, key purpose and host name. */
#include "tls-verify.h"

#include <string.h>
#include <arpa/inet.h>
#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>

/* A chain longer than this is not a real server's; refuse it. */
#define TLS_VERIFY_MAX_CHAIN 16

static gboolean
load_trust(gnutls_x509_trust_list_t trust, const char *ca_file, GError **error)
{
	int loaded;

	if (ca_file != NULL && ca_file[0] != '\0')
		loaded = gnutls_x509_trust_list_add_trust_file(
			trust, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
	else
		loaded = gnutls_x509_trust_list_add_system_trust(trust, 0, 0);
	if (loaded <= 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%s: no trusted CA certificate could be loaded%s%s",
			    ca_file != NULL && ca_file[0] != '\0'
				    ? ca_file
				    : "system trust store",
			    loaded < 0 ? ": " : "",
			    loaded < 0 ? gnutls_strerror(loaded) : "");
		return FALSE;
	}
	return TRUE;
}

gboolean
tls_verify_stream(struct _mailstream *stream, const char *host,
		  const char *ca_file, GError **error)
{
	carray *chain = NULL;
	gnutls_x509_crt_t certs[TLS_VERIFY_MAX_CHAIN];
	gnutls_x509_trust_list_t trust = NULL;
	unsigned int count = 0, status = 0;
	gboolean ok = FALSE;
	int ret;

	chain = mailstream_get_certificate_chain(stream);
	if (chain == NULL || carray_count(chain) == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%s: server presented no certificate", host);
		goto out;
	}
	if (carray_count(chain) > TLS_VERIFY_MAX_CHAIN) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%s: certificate chain of %u certificates is "
			    "longer than %d",
			    host, carray_count(chain), TLS_VERIFY_MAX_CHAIN);
		goto out;
	}
	for (unsigned int i = 0; i < carray_count(chain); i++) {
		MMAPString *der = carray_get(chain, i);
		gnutls_datum_t datum = {(unsigned char *)der->str,
					(unsigned int)der->len};

		gnutls_x509_crt_init(&certs[count]);
		ret = gnutls_x509_crt_import(certs[count], &datum,
					     GNUTLS_X509_FMT_DER);
		count++;
		if (ret < 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
				    "%s: certificate %u cannot be read: %s",
				    host, i, gnutls_strerror(ret));
			goto out;
		}
	}

	gnutls_x509_trust_list_init(&trust, 0);
	if (!load_trust(trust, ca_file, error))
		goto out;

	/* For an IP literal GnuTLS matches the IP SAN when given as host. */
	gnutls_typed_vdata_st vdata[2] = {
		{.type = GNUTLS_DT_DNS_HOSTNAME, .data = (unsigned char *)host},
		{.type = GNUTLS_DT_KEY_PURPOSE_OID,
		 .data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER},
	};
	ret = gnutls_x509_trust_list_verify_crt2(trust, certs, count, vdata, 2,
						 0, &status, NULL);
	if (ret < 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%s: certificate verification failed: %s", host,
			    gnutls_strerror(ret));
		goto out;
	}
	if (status != 0) {
		gnutls_datum_t text = {NULL, 0};

		gnutls_certificate_verification_status_print(
			status, GNUTLS_CRT_X509, &text, 0);
		/* GnuTLS ends its text with a space. */
		if (text.data != NULL)
			g_strstrip((char *)text.data);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%s: certificate not trusted (status 0x%x): %s",
			    host, status,
			    text.data != NULL ? (char *)text.data : "?");
		gnutls_free(text.data);
		goto out;
	}
	ok = TRUE;
out:
	for (unsigned int i = 0; i < count; i++)
		gnutls_x509_crt_deinit(certs[i]);
	if (trust != NULL)
		gnutls_x509_trust_list_deinit(trust, 1);
	if (chain != NULL)
		mailstream_certificate_chain_free(chain);
	return ok;
}
