#include "web/basic_auth.h"

#include <crypt.h>
#include <sys/random.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>
#include <utility>

#include "common/openssl.h"
#include "common/text.h"

namespace stampede::web {

namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string_view AuthFailureName(AuthFailure failure) {
  switch (failure) {
    case AuthFailure::kMissing:
      return "missing";
    case AuthFailure::kMalformed:
      return "malformed";
    case AuthFailure::kBadCredentials:
      return "bad_credentials";
  }
  return "malformed";
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4];
    int padding = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + static_cast<std::size_t>(j)];
      if (c == '=' && last && j >= 2) {
        v[j] = 0;
        ++padding;
        continue;
      }
      if (padding > 0) {
        return std::nullopt;  // data after '='
      }
      v[j] = Base64Value(c);
      if (v[j] < 0) {
        return std::nullopt;
      }
    }
    const unsigned bits = (static_cast<unsigned>(v[0]) << 18) |
                          (static_cast<unsigned>(v[1]) << 12) | (static_cast<unsigned>(v[2]) << 6) |
                          static_cast<unsigned>(v[3]);
    out += static_cast<char>((bits >> 16) & 0xff);
    if (padding < 2) {
      out += static_cast<char>((bits >> 8) & 0xff);
    }
    if (padding < 1) {
      out += static_cast<char>(bits & 0xff);
    }
  }
  return out;
}

Result<Credentials> ParseBasicAuthorization(std::string_view header) {
  constexpr std::string_view kScheme = "basic";
  while (!header.empty() && IsSpace(header.front())) {
    header.remove_prefix(1);
  }
  while (!header.empty() && IsSpace(header.back())) {
    header.remove_suffix(1);
  }
  if (header.size() <= kScheme.size() ||
      !EqualsIgnoreCase(header.substr(0, kScheme.size()), kScheme) ||
      !IsSpace(header[kScheme.size()])) {
    return Status::Error("not a Basic authorization");
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && IsSpace(token.front())) {
    token.remove_prefix(1);
  }
  std::optional<std::string> decoded = DecodeBase64(token);
  if (!decoded) {
    return Status::Error("credentials are not base64");
  }
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    return Status::Error("credentials have no ':' between user and password");
  }
  return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

namespace {

// Compares in time that depends on the length only, not on where the bytes differ.
bool ConstantTimeEquals(const unsigned char* a, const unsigned char* b, std::size_t n) {
  unsigned char diff = 0;
  for (std::size_t i = 0; i < n; ++i) {
    diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
  }
  return diff == 0;
}

}  // namespace

bool BcryptMatches(std::string_view password, const std::string& hash) {
  if (password.find('\0') != std::string_view::npos) {
    return false;  // crypt would hash only the part before the NUL
  }
  // crypt_data is large (about 32 KiB): keep it off the worker thread's stack.
  auto data = std::make_unique<crypt_data>();
  const std::string phrase(password);
  const char* out = crypt_rn(phrase.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*') {
    return false;
  }
  const std::string_view computed(out);
  const bool same =
      computed.size() == hash.size() &&
      ConstantTimeEquals(reinterpret_cast<const unsigned char*>(computed.data()),
                         reinterpret_cast<const unsigned char*>(hash.data()), hash.size());
  explicit_bzero(data.get(), sizeof(crypt_data));
  return same;
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users, std::size_t cache_capacity,
                     Verifier verify)
    : users_(std::move(users)), capacity_(cache_capacity), verify_(std::move(verify)) {
  if (getrandom(secret_.data(), secret_.size(), 0) != static_cast<ssize_t>(secret_.size())) {
    std::random_device rd;
    for (unsigned char& b : secret_) {
      b = static_cast<unsigned char>(rd());
    }
  }
}

BasicAuth::Digest BasicAuth::CacheKey(const Credentials& credentials) const {
  std::string input(reinterpret_cast<const char*>(secret_.data()), secret_.size());
  input += credentials.user;
  input += '\0';
  input += credentials.password;
  Digest digest{};
  unsigned int size = 0;
  const auto& ssl = openssl::Load();  // loaded by Server::Start before any request
  if (!ssl.ok() || (*ssl)->EVP_Digest(input.data(), input.size(), digest.data(), &size,
                                      (*ssl)->EVP_sha256(), nullptr) != 1) {
    digest.fill(0);  // never a hit: CacheAdd refuses the all-zero key
  }
  explicit_bzero(input.data(), input.size());
  return digest;
}

bool BasicAuth::CacheHit(const Digest& key) {
  std::lock_guard lock(mu_);
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (ConstantTimeEquals(it->data(), key.data(), key.size())) {
      cache_.splice(cache_.begin(), cache_, it);
      return true;
    }
  }
  return false;
}

void BasicAuth::CacheAdd(const Digest& key) {
  if (capacity_ == 0 ||
      std::all_of(key.begin(), key.end(), [](unsigned char b) { return b == 0; })) {
    return;
  }
  std::lock_guard lock(mu_);
  cache_.push_front(key);
  while (cache_.size() > capacity_) {
    cache_.pop_back();
  }
}

std::optional<AuthFailure> BasicAuth::Check(std::string_view authorization_header) {
  if (authorization_header.empty()) {
    return AuthFailure::kMissing;
  }
  Result<Credentials> credentials = ParseBasicAuthorization(authorization_header);
  if (!credentials.ok()) {
    return AuthFailure::kMalformed;
  }
  const Digest key = CacheKey(*credentials);
  if (CacheHit(key)) {
    return std::nullopt;
  }
  const auto user = users_.find(credentials->user);
  ++slow_checks_;
  if (user == users_.end()) {
    // Spend the same bcrypt as for a known user, then refuse whatever it says.
    if (!users_.empty()) {
      static_cast<void>(verify_(credentials->password, users_.begin()->second));
    }
    return AuthFailure::kBadCredentials;
  }
  if (!verify_(credentials->password, user->second)) {
    return AuthFailure::kBadCredentials;
  }
  CacheAdd(key);
  return std::nullopt;
}

}  // namespace stampede::web
