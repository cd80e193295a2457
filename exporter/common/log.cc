#include "common/log.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <ostream>
#include <string>
#include <string_view>

#include "common/text.h"

namespace stampede {

namespace {

bool IsControl(unsigned char byte) { return byte < 0x20 || byte == 0x7f; }

void AppendU00(std::string& out, unsigned char byte) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(byte));
  out += buf;
}

// logfmt keys cannot be quoted: bytes that would break the line's structure become '_'.
void AppendLogfmtKey(std::string& out, std::string_view key) {
  if (key.empty()) {
    out += '_';
    return;
  }
  for (const char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte <= ' ' || byte == 0x7f || c == '=' || c == '"') ? '_' : c;
  }
}

// A logfmt value: bare when it can be, else quoted with \\ \" \n \r \t and \u00XX escapes.
void AppendLogfmtValue(std::string& out, std::string_view value) {
  bool needs_quotes = value.empty();
  for (const char c : value) {
    if (c == ' ' || c == '=' || c == '"' || IsControl(static_cast<unsigned char>(c))) {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out += value;
    return;
  }
  out += '"';
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (IsControl(byte)) {
          AppendU00(out, byte);
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// A JSON string literal. Bytes that are not valid UTF-8 become U+FFFD, so every line stays
// valid JSON whatever a value carries.
void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      const std::size_t length = Utf8SequenceLength(s, i);
      if (length == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out += s.substr(i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (IsControl(byte)) {
          AppendU00(out, byte);
        } else {
          out += c;
        }
    }
    ++i;
  }
  out += '"';
}

}  // namespace

std::string FormatRfc3339(std::chrono::system_clock::time_point now) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const auto secs = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto millis = static_cast<int>(ms - secs * 1000);
  const auto t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

namespace {

std::string NowRfc3339() { return FormatRfc3339(std::chrono::system_clock::now()); }

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view text) {
  if (EqualsIgnoreCase(text, "debug")) {
    return LogLevel::kDebug;
  }
  if (EqualsIgnoreCase(text, "info")) {
    return LogLevel::kInfo;
  }
  if (EqualsIgnoreCase(text, "warn") || EqualsIgnoreCase(text, "warning")) {
    return LogLevel::kWarn;
  }
  if (EqualsIgnoreCase(text, "error")) {
    return LogLevel::kError;
  }
  return Status::Error("invalid log level " + QuoteForMessage(text) +
                       " (want debug, info, warn or error)");
}

Result<LogFormat> ParseLogFormat(std::string_view text) {
  if (EqualsIgnoreCase(text, "logfmt")) {
    return LogFormat::kLogfmt;
  }
  if (EqualsIgnoreCase(text, "json")) {
    return LogFormat::kJson;
  }
  return Status::Error("invalid log format " + QuoteForMessage(text) + " (want logfmt or json)");
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "unknown";
}

Logger::Logger(std::ostream* out, LogLevel level, LogFormat format)
    : out_(out), level_(level), format_(format) {}

void Logger::Log(LogLevel level, std::string_view msg, std::span<const LogField> fields) {
  if (!Enabled(level) || out_ == nullptr) {
    return;
  }
  std::string line = Format(format_, NowRfc3339(), level, msg, fields);
  line += '\n';
  const std::lock_guard<std::mutex> lock(mu_);
  out_->write(line.data(), static_cast<std::streamsize>(line.size()));
  out_->flush();
}

std::string Logger::Format(LogFormat format, std::string_view ts, LogLevel level,
                           std::string_view msg, std::span<const LogField> fields) {
  std::string out;
  out.reserve(64 + msg.size() + fields.size() * 24);
  if (format == LogFormat::kJson) {
    out += "{\"ts\":";
    AppendJsonString(out, ts);
    out += ",\"level\":";
    AppendJsonString(out, LogLevelName(level));
    out += ",\"msg\":";
    AppendJsonString(out, msg);
    for (const auto& [key, value] : fields) {
      out += ',';
      AppendJsonString(out, key);
      out += ':';
      AppendJsonString(out, value);
    }
    out += '}';
    return out;
  }
  out += "ts=";
  AppendLogfmtValue(out, ts);
  out += " level=";
  out += LogLevelName(level);
  out += " msg=";
  AppendLogfmtValue(out, msg);
  for (const auto& [key, value] : fields) {
    out += ' ';
    AppendLogfmtKey(out, key);
    out += '=';
    AppendLogfmtValue(out, value);
  }
  return out;
}

}  // namespace stampede
