#include "http/tls.h"

#include <string>

#include "common/openssl.h"

namespace stampede::http {

namespace {

// The last OpenSSL error of this thread, as one line ("" if none).
std::string OpenSslReason(const openssl::Api& ssl) {
  unsigned long last = 0;
  while (const unsigned long e = ssl.ERR_get_error()) {
    last = e;
  }
  if (last == 0) {
    return "unknown OpenSSL error";
  }
  char buf[256];
  ssl.ERR_error_string_n(last, buf, sizeof(buf));
  return buf;
}

// Encrypted keys fail instead of prompting on the terminal.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return 0; }

Status Failed(const openssl::Api& ssl, std::string_view what, const std::string& file) {
  return Status::Error(std::string(what) + " " + file + ": " + OpenSslReason(ssl));
}

}  // namespace

Status ConfigureTls(void* ssl_ctx, const web::TlsConfig& tls) {
  SSL_CTX* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  if (ctx == nullptr) {
    return Status::Error("no TLS context");
  }
  const auto& loaded = openssl::Load();  // Listener::Start loaded it before CivetWeb's TLS
  if (!loaded.ok()) {
    return loaded.status();
  }
  const openssl::Api& ssl = **loaded;
  ssl.ERR_clear_error();
  ssl.SSL_CTX_set_default_passwd_cb(ctx, NoPassphrase);
  if (ssl.SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1) {
    return Failed(ssl, "tls_server_config.cert_file: cannot load certificate", tls.cert_file);
  }
  if (ssl.SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Failed(ssl, "tls_server_config.key_file: cannot load private key", tls.key_file);
  }
  if (ssl.SSL_CTX_check_private_key(ctx) != 1) {
    return Failed(ssl, "tls_server_config.key_file: the key does not match the certificate of",
                  tls.cert_file);
  }
  const long min_version =
      tls.min_version == web::TlsVersion::kTls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  // SSL_CTX_set_min_proto_version(ctx, v), a macro over SSL_CTX_ctrl.
  if (ssl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, min_version, nullptr) != 1) {
    return Status::Error("tls_server_config.min_version: cannot set " +
                         std::string(web::TlsVersionName(tls.min_version)) + ": " +
                         OpenSslReason(ssl));
  }
  // Session resumption with client certificates needs a session id context.
  static const unsigned char kSessionContext[] = "stampede_exporter";
  ssl.SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof(kSessionContext) - 1);
  if (tls.client_auth == web::ClientAuth::kRequireAndVerifyClientCert) {
    const char* ca = tls.client_ca_file.c_str();
    if (ssl.SSL_CTX_load_verify_locations(ctx, ca, nullptr) != 1) {
      return Failed(ssl, "tls_server_config.client_ca_file: cannot load", tls.client_ca_file);
    }
    STACK_OF(X509_NAME)* names = ssl.SSL_load_client_CA_file(ca);
    if (names == nullptr) {
      return Failed(ssl, "tls_server_config.client_ca_file: no CA certificate in",
                    tls.client_ca_file);
    }
    ssl.SSL_CTX_set_client_CA_list(ctx, names);  // takes ownership
    ssl.SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  } else {
    ssl.SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return Status::Ok();
}

}  // namespace stampede::http
