// OpenSSL, loaded at run time when TLS or basic auth first needs it, not linked: linked, libssl
// and libcrypto added 1.7 MB to the exporter's RSS whether or not they were used (BENCHMARKS.md,
// "Side by side"). The function types come from OpenSSL's own headers (decltype), so a
// mismatched signature does not compile.
#pragma once

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "common/status.h"

namespace stampede::openssl {

struct Api {
  // libcrypto
  decltype(&::CRYPTO_memcmp) CRYPTO_memcmp = nullptr;
  decltype(&::OPENSSL_cleanse) OPENSSL_cleanse = nullptr;
  decltype(&::RAND_bytes) RAND_bytes = nullptr;
  decltype(&::EVP_Digest) EVP_Digest = nullptr;
  decltype(&::EVP_sha256) EVP_sha256 = nullptr;
  decltype(&::ERR_get_error) ERR_get_error = nullptr;
  decltype(&::ERR_error_string_n) ERR_error_string_n = nullptr;
  decltype(&::ERR_clear_error) ERR_clear_error = nullptr;
  // libssl
  decltype(&::SSL_CTX_ctrl) SSL_CTX_ctrl = nullptr;  // SSL_CTX_set_min_proto_version is a macro
  decltype(&::SSL_CTX_set_default_passwd_cb) SSL_CTX_set_default_passwd_cb = nullptr;
  decltype(&::SSL_CTX_use_certificate_chain_file) SSL_CTX_use_certificate_chain_file = nullptr;
  decltype(&::SSL_CTX_use_PrivateKey_file) SSL_CTX_use_PrivateKey_file = nullptr;
  decltype(&::SSL_CTX_check_private_key) SSL_CTX_check_private_key = nullptr;
  decltype(&::SSL_CTX_set_session_id_context) SSL_CTX_set_session_id_context = nullptr;
  decltype(&::SSL_CTX_load_verify_locations) SSL_CTX_load_verify_locations = nullptr;
  decltype(&::SSL_load_client_CA_file) SSL_load_client_CA_file = nullptr;
  decltype(&::SSL_CTX_set_client_CA_list) SSL_CTX_set_client_CA_list = nullptr;
  decltype(&::SSL_CTX_set_verify) SSL_CTX_set_verify = nullptr;
};

/// Loads OpenSSL once (later calls return the same table or the same error). Takes the
/// CivetWeb shims of cmake/StampedeOpenSSLShim.cmake from ../lib/stampede_exporter/ beside
/// the binary when they are there, so that CivetWeb's own dlopen("libssl.so") finds them
/// loaded; else libssl.so.3 and libcrypto.so.3 from the system. Thread-safe.
const Result<const Api*>& Load();

}  // namespace stampede::openssl
