// HTTP basic authentication against bcrypt hashes (web config `basic_auth_users`), with a
// bounded cache of successful verifications so a scrape every second does not pay a full
// bcrypt each time.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace stampede::web {

/// Why a request was refused: the `reason` label of stampede_http_auth_failures_total.
enum class AuthFailure { kMissing, kMalformed, kBadCredentials };
std::string_view AuthFailureName(AuthFailure failure);

struct Credentials {
  std::string user;
  std::string password;
};

/// Parses an Authorization header value of the form `Basic base64(user:password)` (the scheme
/// is case-insensitive). Errors say what is wrong, never what was sent. Pure.
Result<Credentials> ParseBasicAuthorization(std::string_view header);

/// Standard base64 (RFC 4648, with padding) decoding; nullopt when `text` is not base64. Pure.
std::optional<std::string> DecodeBase64(std::string_view text);

/// True when `password` hashes to `hash` (a bcrypt hash) with libxcrypt's crypt_rn; the
/// comparison is constant-time. A password with a NUL byte never matches. Thread-safe.
bool BcryptMatches(std::string_view password, const std::string& hash);

/// Checks Authorization headers against the configured users. Thread-safe.
class BasicAuth {
 public:
  /// `users`: user -> bcrypt hash, as ParseWebConfigText validated them. `verify` checks a
  /// password against a hash (BcryptMatches; injected by tests to count calls).
  using Verifier = std::function<bool(std::string_view password, const std::string& hash)>;
  explicit BasicAuth(std::map<std::string, std::string> users, std::size_t cache_capacity = 64,
                     Verifier verify = BcryptMatches);

  /// nullopt when the header carries the credentials of a configured user, else the reason.
  /// An unknown user costs a bcrypt as well, so timing does not tell which users exist.
  std::optional<AuthFailure> Check(std::string_view authorization_header);

  /// Verifications that went through `verify` (not answered from the cache).
  std::uint64_t slow_checks() const { return slow_checks_.load(); }

 private:
  using Digest = std::array<unsigned char, 32>;
  /// SHA-256 over a per-process random key, the user and the password: what the cache keeps,
  /// so it never holds a password.
  Digest CacheKey(const Credentials& credentials) const;
  bool CacheHit(const Digest& key);
  void CacheAdd(const Digest& key);

  const std::map<std::string, std::string> users_;
  const std::size_t capacity_;
  const Verifier verify_;
  std::array<unsigned char, 32> secret_{};
  std::atomic<std::uint64_t> slow_checks_{0};
  std::mutex mu_;            // guards cache_
  std::list<Digest> cache_;  // most recently used first
};

}  // namespace stampede::web
