// TLS for a CivetWeb listener: sets up the SSL_CTX CivetWeb created, from a web::TlsConfig.
#pragma once

#include "common/status.h"
#include "web/web_config.h"

namespace stampede::http {

/// Loads the certificate chain and key of `tls` into `ssl_ctx` (an OpenSSL SSL_CTX*, as
/// CivetWeb's init_ssl callback passes it), checks that they match, sets the minimum protocol
/// version and, with RequireAndVerifyClientCert, requires a client certificate signed by a CA
/// of client_ca_file. An encrypted key is an error (nothing prompts for a passphrase). The
/// error names the file and OpenSSL's reason. Thread-compatible.
Status ConfigureTls(void* ssl_ctx, const web::TlsConfig& tls);

}  // namespace stampede::http
