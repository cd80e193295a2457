// Structured logging to stderr, one line per event, logfmt or JSON. Never give it secrets.
#pragma once

#include <chrono>
#include <initializer_list>
#include <iosfwd>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace stampede {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class LogFormat { kLogfmt, kJson };

Result<LogLevel> ParseLogLevel(std::string_view text);
Result<LogFormat> ParseLogFormat(std::string_view text);
std::string_view LogLevelName(LogLevel level);

/// `t` as RFC 3339 UTC with milliseconds: "2026-11-23T10:00:00.000Z". Pure.
std::string FormatRfc3339(std::chrono::system_clock::time_point t);

/// One key=value pair of a log line.
using LogField = std::pair<std::string_view, std::string>;

/// Writes `ts=... level=... msg=... k=v ...` (logfmt, values quoted when they need it) or one
/// JSON object per line. Thread-safe: lines never interleave.
class Logger {
 public:
  explicit Logger(std::ostream* out, LogLevel level = LogLevel::kInfo,
                  LogFormat format = LogFormat::kLogfmt);

  void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(level, msg, std::span<const LogField>(fields.begin(), fields.size()));
  }
  /// For fields built at run time.
  void Log(LogLevel level, std::string_view msg, std::span<const LogField> fields);
  void Debug(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kDebug, msg, fields);
  }
  void Info(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kInfo, msg, fields);
  }
  void Warn(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kWarn, msg, fields);
  }
  void Error(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kError, msg, fields);
  }
  bool Enabled(LogLevel level) const { return level >= level_; }

  /// Formats one line without the trailing newline; `ts` is RFC 3339 UTC with milliseconds.
  /// Pure: exposed for tests.
  static std::string Format(LogFormat format, std::string_view ts, LogLevel level,
                            std::string_view msg, std::span<const LogField> fields);
  static std::string Format(LogFormat format, std::string_view ts, LogLevel level,
                            std::string_view msg, std::initializer_list<LogField> fields) {
    return Format(format, ts, level, msg, std::span<const LogField>(fields.begin(), fields.size()));
  }

 private:
  std::ostream* out_;
  LogLevel level_;
  LogFormat format_;
  std::mutex mu_;  // guards writes to out_
};

}  // namespace stampede
