#include "common/openssl.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <string>

namespace stampede::openssl {

namespace {

// The directory of the running binary, with a trailing '/', or "".
std::string BinaryDir() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) {
    return "";
  }
  const std::string exe(path, static_cast<std::size_t>(n));
  return exe.substr(0, exe.rfind('/') + 1);
}

// The shim beside the binary (RTLD_GLOBAL: CivetWeb's dlopen by SONAME must find it), else the
// system's library.
void* Open(const std::string& shim, const char* system, std::string& tried) {
  void* h = dlopen(shim.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (h == nullptr) {
    h = dlopen(system, RTLD_NOW | RTLD_GLOBAL);
  }
  if (h == nullptr) {
    const char* why = dlerror();
    tried += std::string(tried.empty() ? "" : "; ") + (why != nullptr ? why : system);
  }
  return h;
}

template <typename Fn>
bool Bind(void* handle, const char* name, Fn& fn, std::string& missing) {
  fn = reinterpret_cast<Fn>(dlsym(handle, name));
  if (fn == nullptr) {
    missing += std::string(missing.empty() ? "" : ", ") + name;
  }
  return fn != nullptr;
}

Result<const Api*> LoadOnce() {
  static Api api;
  const std::string shims = BinaryDir() + "../lib/stampede_exporter/";
  std::string tried;
  void* crypto = Open(shims + "libcrypto.so", "libcrypto.so.3", tried);
  void* ssl = crypto != nullptr ? Open(shims + "libssl.so", "libssl.so.3", tried) : nullptr;
  if (crypto == nullptr || ssl == nullptr) {
    return Status::Error("cannot load OpenSSL 3 (is libssl3 installed?): " + tried);
  }
  std::string missing;
#define STAMPEDE_BIND(handle, name) Bind(handle, #name, api.name, missing)
  STAMPEDE_BIND(crypto, CRYPTO_memcmp);
  STAMPEDE_BIND(crypto, OPENSSL_cleanse);
  STAMPEDE_BIND(crypto, RAND_bytes);
  STAMPEDE_BIND(crypto, EVP_Digest);
  STAMPEDE_BIND(crypto, EVP_sha256);
  STAMPEDE_BIND(crypto, ERR_get_error);
  STAMPEDE_BIND(crypto, ERR_error_string_n);
  STAMPEDE_BIND(crypto, ERR_clear_error);
  STAMPEDE_BIND(ssl, SSL_CTX_ctrl);
  STAMPEDE_BIND(ssl, SSL_CTX_set_default_passwd_cb);
  STAMPEDE_BIND(ssl, SSL_CTX_use_certificate_chain_file);
  STAMPEDE_BIND(ssl, SSL_CTX_use_PrivateKey_file);
  STAMPEDE_BIND(ssl, SSL_CTX_check_private_key);
  STAMPEDE_BIND(ssl, SSL_CTX_set_session_id_context);
  STAMPEDE_BIND(ssl, SSL_CTX_load_verify_locations);
  STAMPEDE_BIND(ssl, SSL_load_client_CA_file);
  STAMPEDE_BIND(ssl, SSL_CTX_set_client_CA_list);
  STAMPEDE_BIND(ssl, SSL_CTX_set_verify);
#undef STAMPEDE_BIND
  if (!missing.empty()) {
    return Status::Error("OpenSSL 3 lacks " + missing);
  }
  return static_cast<const Api*>(&api);
}

}  // namespace

const Result<const Api*>& Load() {
  static const Result<const Api*> loaded = LoadOnce();  // once, thread-safe (C++11 statics)
  return loaded;
}

}  // namespace stampede::openssl
