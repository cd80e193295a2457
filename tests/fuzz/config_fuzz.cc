// Feeds arbitrary bytes to the configuration parsers: as argv (split on '\0' and '\n') for
// ParseFlags, and whole to ParseDuration, ParseAddress and the log formatter. Besides "never
// crash", it checks a few properties and traps when one fails:
//  - a parsed duration formats to text that parses back to the same value;
//  - a parsed address's Redacted() parses back to the same target;
//  - error messages and log lines are exactly one line.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/duration.h"
#include "common/log.h"
#include "config/flags.h"
#include "redis/address.h"

namespace {

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

bool IsOneLine(std::string_view text) { return text.find_first_of("\r\n") == text.npos; }

std::vector<std::string> SplitArgs(std::string_view input) {
  std::vector<std::string> args;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t end = input.find_first_of(std::string_view("\0\n", 2), start);
    if (end == std::string_view::npos) {
      end = input.size();
    }
    args.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  // A trailing separator does not make an extra empty argument.
  if (!args.empty() && args.back().empty()) {
    args.pop_back();
  }
  return args;
}

void FuzzFlags(std::string_view input) {
  const stampede::config::EnvLookup no_env = [](std::string_view) -> std::optional<std::string> {
    return std::nullopt;
  };
  const stampede::Result<stampede::config::Config> config =
      stampede::config::ParseFlags(SplitArgs(input), no_env);
  if (!config.ok()) {
    Check(!config.status().message().empty());
    Check(IsOneLine(config.status().message()));
  }
}

void FuzzDuration(std::string_view input) {
  const stampede::Result<std::chrono::milliseconds> d = stampede::ParseDuration(input);
  if (!d.ok()) {
    Check(IsOneLine(d.status().message()));
    return;
  }
  Check(d->count() >= 0);
  const stampede::Result<std::chrono::milliseconds> back =
      stampede::ParseDuration(stampede::FormatDuration(*d));
  Check(back.ok() && *back == *d);
}

void FuzzAddress(std::string_view input) {
  const stampede::Result<stampede::redis::Address> address = stampede::redis::ParseAddress(input);
  if (!address.ok()) {
    Check(IsOneLine(address.status().message()));
    return;
  }
  const std::string redacted = address->Redacted();
  const stampede::Result<stampede::redis::Address> back = stampede::redis::ParseAddress(redacted);
  Check(back.ok());
  Check(back->kind == address->kind && back->host == address->host && back->port == address->port &&
        back->path == address->path);
  Check(back->user.empty() && back->password.empty());
  if (address->kind == stampede::redis::Address::Kind::kTcp) {
    Check(address->port >= 1 && address->port <= 65535 && !address->host.empty());
  } else {
    Check(!address->path.empty() && address->path.front() == '/');
  }
}

void FuzzLog(std::string_view input) {
  const std::string value(input);
  for (const stampede::LogFormat format :
       {stampede::LogFormat::kLogfmt, stampede::LogFormat::kJson}) {
    const std::string line = stampede::Logger::Format(
        format, "2026-11-23T10:00:00.000Z", stampede::LogLevel::kInfo, input, {{input, value}});
    Check(IsOneLine(line));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  FuzzFlags(input);
  FuzzDuration(input);
  FuzzAddress(input);
  FuzzLog(input);
  return 0;
}
