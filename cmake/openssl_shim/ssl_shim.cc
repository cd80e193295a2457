// The libssl.so shim: see cmake/StampedeOpenSSLShim.cmake. CivetWeb 1.15 looks up the
// OpenSSL 1.1 name SSL_get_peer_certificate, which OpenSSL 3 renamed (the old name is a macro
// there). This forwards it; every other symbol comes from libssl.so.3, a dependency of this
// library. No OpenSSL header on purpose: it would turn the old name into the new one.

extern "C" {

struct ssl_st;
struct x509_st;

x509_st* SSL_get1_peer_certificate(const ssl_st* ssl);

__attribute__((visibility("default"))) x509_st* SSL_get_peer_certificate(const ssl_st* ssl) {
  return SSL_get1_peer_certificate(ssl);
}

}  // extern "C"
