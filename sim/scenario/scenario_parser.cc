#include "scenario/scenario_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <system_error>

#include "cache_client.h"

namespace stampede::sim {

namespace {

constexpr std::int64_t kMaxMillis = std::int64_t{24} * 3600 * 1000;
constexpr double kMaxRate = 1e6;
constexpr std::size_t kMaxWorkers = 1024;
constexpr std::size_t kMaxKeys = 1000000;
constexpr std::size_t kMaxConcurrency = 1000000;
constexpr std::size_t kMaxFillCount = 1000000;
constexpr double kMaxZipfS = 5;
constexpr std::uint64_t kMaxMemoryBytes = std::uint64_t{1} << 40;   // 1024gb
constexpr std::uint64_t kMaxValueBytes = std::uint64_t{512} << 20;  // Redis's string limit
constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxQuotedBytes = 40;

constexpr std::array<std::string_view, 8> kPolicies = {
    "noeviction",   "allkeys-lru",  "allkeys-lfu",     "allkeys-random",
    "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"};
constexpr std::array<std::string_view, 4> kMarkers = {"deploy", "warmup", "purge", "maintenance"};

using Tokens = std::span<const std::string_view>;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

/// Length of the UTF-8 sequence starting at text[i], or 0 when it is not well formed (overlong
/// forms, surrogates and code points above U+10FFFF included).
std::size_t Utf8Length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) {
    return 1;
  }
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (i + n > text.size()) {
    return 0;
  }
  if (byte(i + 1) < lo || byte(i + 1) > hi) {
    return 0;
  }
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
      return 0;
    }
  }
  return n;
}

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = Utf8Length(text, i);
    if (n == 0) {
      return false;
    }
    i += n;
  }
  return true;
}

/// `"token"`, cut (on a character boundary) when long. Tokens come from lines already checked
/// to be UTF-8 without control characters, so the result is one printable line.
std::string Quote(std::string_view token) {
  std::size_t end = 0;
  while (end < token.size()) {
    const std::size_t n = std::max<std::size_t>(1, Utf8Length(token, end));
    if (end + n > kMaxQuotedBytes) {
      break;
    }
    end += n;
  }
  std::string out = "\"";
  out += token.substr(0, end);
  out += end < token.size() ? "...\"" : "\"";
  return out;
}

std::string FormatNumber(double v) {
  std::array<char, 32> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%.15g", v);
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
}

std::string FormatMillis(Millis d) {
  const std::int64_t ms = d.count();
  if (ms != 0 && ms % 1000 != 0) {
    return std::to_string(ms) + "ms";
  }
  return std::to_string(ms / 1000) + "s";
}

/// "0b", "512mb", "1024gb": in the largest unit that divides the size.
std::string FormatSize(std::uint64_t bytes) {
  static constexpr std::array<std::string_view, 4> kUnits = {"b", "kb", "mb", "gb"};
  std::size_t unit = 0;
  while (bytes != 0 && unit + 1 < kUnits.size() && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + std::string(kUnits[unit]);
}

/// "a, b or c".
template <typename Words>
std::string OneOf(const Words& words) {
  std::string out;
  std::size_t i = 0;
  for (const std::string_view w : words) {
    if (i > 0) {
      out += i + 1 == std::size(words) ? " or " : ", ";
    }
    out += w;
    ++i;
  }
  return out;
}

template <typename Words>
bool Contains(const Words& words, std::string_view word) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

bool IsScenarioName(std::string_view s) {
  return !s.empty() && s.size() <= kMaxNameBytes && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-';
  });
}

bool IsClassName(std::string_view s) {
  return !s.empty() && s.size() <= kMaxNameBytes && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == ':' ||
           c == '.' || c == '-';
  });
}

std::optional<std::uint64_t> ParseDigits(std::string_view s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), IsDigit)) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return std::numeric_limits<std::uint64_t>::max();  // too many digits: out of any range
  }
  return v;
}

/// What a value parser found wrong: the token is malformed, or well formed but out of range.
enum class ValueError { kNone, kBad, kRange };

ValueError ParseDurationToken(std::string_view tok, Millis& out) {
  if (tok == "0") {
    out = Millis(0);
    return ValueError::kNone;
  }
  std::size_t i = 0;
  while (i < tok.size() && IsDigit(tok[i])) {
    ++i;
  }
  const std::string_view whole = tok.substr(0, i);
  std::string_view frac;
  if (i < tok.size() && tok[i] == '.') {
    const std::size_t start = ++i;
    while (i < tok.size() && IsDigit(tok[i])) {
      ++i;
    }
    frac = tok.substr(start, i - start);
    if (frac.empty()) {
      return ValueError::kBad;
    }
  }
  const std::string_view unit = tok.substr(i);
  std::int64_t mult = 0;
  if (unit == "ms") {
    mult = 1;
  } else if (unit == "s") {
    mult = 1000;
  } else if (unit == "m") {
    mult = 60 * 1000;
  } else if (unit == "h") {
    mult = 3600 * 1000;
  } else {
    return ValueError::kBad;
  }
  const std::optional<std::uint64_t> n = ParseDigits(whole);
  if (!n) {
    return ValueError::kBad;
  }
  const bool has_point = tok.find('.') != std::string_view::npos;
  if (has_point && (mult != 1000 || frac.size() > 3)) {
    return ValueError::kBad;  // decimals only for seconds, to the millisecond
  }
  if (*n > static_cast<std::uint64_t>(kMaxMillis / mult)) {
    return ValueError::kRange;
  }
  std::int64_t ms = static_cast<std::int64_t>(*n) * mult;
  if (!frac.empty()) {
    std::int64_t f = static_cast<std::int64_t>(*ParseDigits(frac));
    for (std::size_t k = frac.size(); k < 3; ++k) {
      f *= 10;
    }
    ms += f;
  }
  if (ms > kMaxMillis) {
    return ValueError::kRange;
  }
  out = Millis(ms);
  return ValueError::kNone;
}

ValueError ParseSizeToken(std::string_view tok, std::uint64_t max, std::uint64_t& out) {
  std::size_t i = 0;
  while (i < tok.size() && IsDigit(tok[i])) {
    ++i;
  }
  const std::string_view unit = tok.substr(i);
  std::uint64_t mult = 0;
  if (unit.empty() || unit == "b") {
    mult = 1;
  } else if (unit == "kb") {
    mult = std::uint64_t{1} << 10;
  } else if (unit == "mb") {
    mult = std::uint64_t{1} << 20;
  } else if (unit == "gb") {
    mult = std::uint64_t{1} << 30;
  } else {
    return ValueError::kBad;
  }
  const std::optional<std::uint64_t> n = ParseDigits(tok.substr(0, i));
  if (!n) {
    return ValueError::kBad;
  }
  if (*n > max / mult) {
    return ValueError::kRange;
  }
  out = *n * mult;
  return ValueError::kNone;
}

/// A decimal number: digits, optionally '.' and more digits. No sign, exponent, inf or nan.
std::optional<double> ParseDecimal(std::string_view tok) {
  const std::size_t point = tok.find('.');
  const std::string_view whole = tok.substr(0, point);
  const std::string_view frac =
      point == std::string_view::npos ? std::string_view() : tok.substr(point + 1);
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), IsDigit) ||
      (point != std::string_view::npos &&
       (frac.empty() || !std::all_of(frac.begin(), frac.end(), IsDigit)))) {
    return std::nullopt;
  }
  double v = 0;
  const auto [end, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (ec == std::errc::result_out_of_range) {
    return std::numeric_limits<double>::infinity();  // out of any range
  }
  if (ec != std::errc() || end != tok.data() + tok.size()) {
    return std::nullopt;
  }
  return v;
}

/// The tokens of a line, without its comment.
std::vector<std::string_view> Tokenize(std::string_view line) {
  const std::size_t hash = line.find('#');
  if (hash != std::string_view::npos) {
    line = line.substr(0, hash);
  }
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) {
      ++i;
    }
    const std::size_t start = i;
    while (i < line.size() && !IsBlank(line[i])) {
      ++i;
    }
    if (i > start) {
      tokens.push_back(line.substr(start, i - start));
    }
  }
  return tokens;
}

/// A warm event whose TTL or jitter come from the `ttl` directive (resolved at the end, since
/// the directive may come later in the file).
struct WarmDefaults {
  std::size_t index;  // in events
  bool ttl_given;
  bool jitter_given;
};

class Parser {
 public:
  explicit Parser(std::string_view file) { scenario_.file = std::string(file); }

  ScenarioResult Run(std::string_view text);

 private:
  bool Fail(std::string reason) {
    reason_ = std::move(reason);
    return false;
  }
  ScenarioResult Error(int line, std::string reason) const {
    return ScenarioError{scenario_.file, line, std::move(reason)};
  }

  bool CheckLine(std::string_view line);
  bool Line(std::string_view line, Tokens t);
  bool Directive(std::string_view line, Tokens t);
  bool Event(Tokens t);
  bool Reads(Tokens t);

  // Value parsers: on failure they Fail with "<ctx>: ..." naming `what`, and return false.
  bool Duration(std::string_view ctx, std::string_view what, std::string_view tok, Millis& out);
  bool Integer(std::string_view ctx, std::string_view what, std::string_view tok, std::size_t min,
               std::size_t max, std::size_t& out);
  bool Number(std::string_view ctx, std::string_view what, std::string_view tok, double min,
              double max, double& out, bool min_exclusive = false);
  bool Size(std::string_view ctx, std::string_view what, std::string_view tok, std::uint64_t min,
            std::uint64_t max, std::uint64_t& out);
  bool OneOfWords(std::string_view ctx, std::string_view what, std::string_view tok,
                  std::span<const std::string_view> words);

  /// `t[index]`, or Fail with "<ctx>: missing <what>".
  bool Arg(std::string_view ctx, std::string_view what, Tokens t, std::size_t index);
  /// Fails with "unexpected ..." when `t` has more than `n` tokens.
  bool NoMore(std::string_view ctx, Tokens t, std::size_t n);
  /// Option words with one value each, in any order, each at most once.
  bool Options(std::string_view ctx, Tokens t, std::initializer_list<std::string_view> words,
               std::map<std::string_view, std::string_view>& out);
  bool Required(std::string_view ctx, const std::map<std::string_view, std::string_view>& options,
                std::initializer_list<std::string_view> words);

  Scenario scenario_;
  int line_ = 0;
  std::string reason_;
  std::map<std::string, int, std::less<>> seen_;  // header directive → its line
  int onset_line_ = 0;
  std::vector<WarmDefaults> warm_defaults_;
};

ScenarioResult Parser::Run(std::string_view text) {
  if (text.size() > kMaxScenarioBytes) {
    return Error(0, "file larger than 1 MiB (" + std::to_string(kMaxScenarioBytes) + " bytes)");
  }
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_;
    if (!CheckLine(line)) {
      return Error(line_, reason_);
    }
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    const std::vector<std::string_view> tokens = Tokenize(line);
    if (!tokens.empty() && !Line(line, tokens)) {
      return Error(line_, reason_);
    }
  }

  for (const std::string_view required : {"scenario", "duration", "keys"}) {
    if (!seen_.contains(required)) {
      return Error(0, "missing \"" + std::string(required) + "\" directive");
    }
  }
  const Millis duration = scenario_.duration;
  if (scenario_.onset && *scenario_.onset > duration) {
    return Error(onset_line_, "onset: " + FormatMillis(*scenario_.onset) +
                                  " is after the end of the scenario (duration " +
                                  FormatMillis(duration) + ")");
  }
  for (const sim::Event& e : scenario_.events) {  // in file order: the first offender
    if (e.at > duration) {
      return Error(e.line, "at: event at " + FormatMillis(e.at) +
                               " is after the end of the scenario (duration " +
                               FormatMillis(duration) + ")");
    }
  }
  for (const WarmDefaults& w : warm_defaults_) {
    sim::Event& e = scenario_.events[w.index];
    if (!w.ttl_given) {
      e.ttl = scenario_.ttl.ttl;
      if (!w.jitter_given) {
        e.jitter = scenario_.ttl.jitter;
      }
    }
  }
  std::stable_sort(scenario_.events.begin(), scenario_.events.end(),
                   [](const sim::Event& a, const sim::Event& b) { return a.at < b.at; });
  return std::move(scenario_);
}

bool Parser::CheckLine(std::string_view line) {
  if (line.size() > kMaxScenarioLineBytes) {
    return Fail("line longer than " + std::to_string(kMaxScenarioLineBytes) + " bytes");
  }
  if (!IsValidUtf8(line)) {
    return Fail("not valid UTF-8");
  }
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    const bool final_cr = c == '\r' && i + 1 == line.size();
    if ((c < 0x20 && c != '\t' && !final_cr) || c == 0x7F) {
      std::array<char, 8> hex{};
      std::snprintf(hex.data(), hex.size(), "0x%02X", c);
      return Fail(std::string("control character ") + hex.data() + " (column " +
                  std::to_string(i + 1) + ")");
    }
  }
  return true;
}

bool Parser::Line(std::string_view line, Tokens t) {
  if (t[0] == "at") {
    return Event(t);
  }
  return Directive(line, t);
}

bool Parser::Directive(std::string_view line, Tokens t) {
  static constexpr std::array<std::string_view, 11> kWords = {
      "scenario", "describe", "duration", "class", "strategy", "keys",
      "reads",    "origin",   "ttl",      "onset", "at"};
  const std::string_view d = t[0];
  if (!Contains(kWords, d)) {
    return Fail("unknown directive " + Quote(d) + " (expected " + OneOf(kWords) + ")");
  }
  if (const auto it = seen_.find(d); it != seen_.end()) {
    return Fail("duplicate " + Quote(d) + " (first on line " + std::to_string(it->second) + ")");
  }
  seen_.emplace(std::string(d), line_);

  if (d == "scenario") {
    if (!Arg(d, "<name>", t, 1)) {
      return false;
    }
    if (!IsScenarioName(t[1])) {
      return Fail("scenario: bad name " + Quote(t[1]) + " (want [a-z0-9-]+, at most " +
                  std::to_string(kMaxNameBytes) + " bytes)");
    }
    scenario_.name = std::string(t[1]);
    return NoMore(d, t, 2);
  }
  if (d == "describe") {
    if (!Arg(d, "<text>", t, 1)) {
      return false;
    }
    const std::size_t from = static_cast<std::size_t>(t[1].data() - line.data());
    const std::size_t to =
        static_cast<std::size_t>(t.back().data() - line.data()) + t.back().size();
    scenario_.description = std::string(line.substr(from, to - from));
    return true;
  }
  if (d == "duration") {
    if (!Arg(d, "<d>", t, 1) || !Duration(d, "duration", t[1], scenario_.duration)) {
      return false;
    }
    if (scenario_.duration.count() == 0) {
      return Fail("duration: must be more than 0");
    }
    return NoMore(d, t, 2);
  }
  if (d == "class") {
    if (!Arg(d, "<name>", t, 1)) {
      return false;
    }
    if (!IsClassName(t[1])) {
      return Fail("class: bad name " + Quote(t[1]) + " (want [A-Za-z0-9_:.-]+, at most " +
                  std::to_string(kMaxNameBytes) + " bytes)");
    }
    scenario_.class_name = std::string(t[1]);
    return NoMore(d, t, 2);
  }
  if (d == "strategy") {
    if (!Arg(d, "<name>", t, 1)) {
      return false;
    }
    const std::optional<Protection> p = ParseProtection(t[1]);
    if (!p) {
      return Fail("strategy: unknown strategy " + Quote(t[1]));
    }
    scenario_.strategy = std::string(ProtectionName(*p));
    return NoMore(d, t, 2);
  }
  if (d == "keys") {
    if (!Arg(d, "<prefix>", t, 1) || !Arg(d, "<count>", t, 2) ||
        !Integer(d, "count", t[2], 1, kMaxKeys, scenario_.keys.count)) {
      return false;
    }
    scenario_.keys.prefix = std::string(t[1]);
    return NoMore(d, t, 3);
  }
  if (d == "reads") {
    return Reads(t);
  }
  if (d == "origin") {
    OriginSpec& o = scenario_.origin;
    std::map<std::string_view, std::string_view> opt;
    if (!Arg(d, "<latency>", t, 1) || !Duration(d, "latency", t[1], o.latency) ||
        !Options(d, t.subspan(2), {"jitter", "concurrency", "queue-timeout"}, opt)) {
      return false;
    }
    if (opt.contains("jitter") && !Number(d, "jitter", opt["jitter"], 0, 1, o.jitter)) {
      return false;
    }
    if (opt.contains("concurrency") &&
        !Integer(d, "concurrency", opt["concurrency"], 0, kMaxConcurrency, o.concurrency)) {
      return false;
    }
    return !opt.contains("queue-timeout") ||
           Duration(d, "queue-timeout", opt["queue-timeout"], o.queue_timeout);
  }
  if (d == "ttl") {
    std::map<std::string_view, std::string_view> opt;
    if (!Arg(d, "<d>", t, 1) || !Duration(d, "ttl", t[1], scenario_.ttl.ttl) ||
        !Options(d, t.subspan(2), {"jitter"}, opt)) {
      return false;
    }
    return !opt.contains("jitter") ||
           Number(d, "jitter", opt["jitter"], 0, 1, scenario_.ttl.jitter);
  }
  // onset
  Millis onset{0};
  if (!Arg(d, "<d>", t, 1) || !Duration(d, "onset", t[1], onset)) {
    return false;
  }
  scenario_.onset = onset;
  onset_line_ = line_;
  return NoMore(d, t, 2);
}

bool Parser::Reads(Tokens t) {
  static constexpr std::string_view d = "reads";
  ReadsSpec& r = scenario_.reads;
  if (!Arg(d, "<rate>", t, 1) || !Number(d, "rate", t[1], 0, kMaxRate, r.rate)) {
    return false;
  }
  std::map<std::string_view, int> seen;  // option word → seen; uniform and zipf count as one
  for (std::size_t i = 2; i < t.size();) {
    const std::string_view w = t[i];
    const std::string_view key = (w == "uniform" || w == "zipf") ? "distribution" : w;
    if (w != "uniform" && w != "zipf" && w != "workers" && w != "cold" && w != "exclude") {
      return Fail("reads: unknown option " + Quote(w) +
                  " (expected uniform, zipf, workers, cold or exclude)");
    }
    if (seen.contains(key)) {
      return Fail(key == "distribution"
                      ? "reads: duplicate distribution (uniform or zipf) " + Quote(w)
                      : "reads: duplicate option " + Quote(w));
    }
    seen[key] = 1;
    if (w == "uniform") {
      r.zipf = false;
      ++i;
      continue;
    }
    if (w == "exclude") {
      if (i + 1 >= t.size()) {
        return Fail("reads: missing <key> after \"exclude\"");
      }
      for (std::size_t k = i + 1; k < t.size(); ++k) {
        r.exclude.emplace_back(t[k]);
      }
      break;
    }
    if (i + 1 >= t.size()) {
      return Fail("reads: missing value after " + Quote(w));
    }
    const std::string_view v = t[i + 1];
    if (w == "zipf") {
      r.zipf = true;
      if (!Number(d, "zipf s", v, 0, kMaxZipfS, r.zipf_s, /*min_exclusive=*/true)) {
        return false;
      }
    } else if (w == "workers") {
      if (!Integer(d, "workers", v, 1, kMaxWorkers, r.workers)) {
        return false;
      }
    } else if (!Number(d, "cold", v, 0, 1, r.cold_fraction)) {
      return false;
    }
    i += 2;
  }
  return true;
}

bool Parser::Event(Tokens t) {
  static constexpr std::array<std::string_view, 10> kActions = {
      "warm", "del", "del-all", "flush", "spike", "rate", "maxmemory", "fill", "restart", "marker"};
  if (scenario_.events.size() >= kMaxScenarioEvents) {
    return Fail("too many events (at most " + std::to_string(kMaxScenarioEvents) + ")");
  }
  sim::Event e;
  e.line = line_;
  if (!Arg("at", "<time>", t, 1) || !Duration("at", "time", t[1], e.at) ||
      !Arg("at", "<action>", t, 2)) {
    return false;
  }
  const std::string_view a = t[2];
  const Tokens args = t.subspan(3);
  std::map<std::string_view, std::string_view> opt;
  if (a == "warm") {
    e.kind = EventKind::kWarm;
    if (!Options(a, args, {"ttl", "jitter"}, opt) ||
        (opt.contains("ttl") && !Duration(a, "ttl", opt["ttl"], e.ttl)) ||
        (opt.contains("jitter") && !Number(a, "jitter", opt["jitter"], 0, 1, e.jitter))) {
      return false;
    }
    warm_defaults_.push_back(
        {scenario_.events.size(), opt.contains("ttl"), opt.contains("jitter")});
  } else if (a == "del") {
    e.kind = EventKind::kDel;
    if (!Arg(a, "<key>", args, 0) || !NoMore(a, args, 1)) {
      return false;
    }
    e.key = std::string(args[0]);
  } else if (a == "del-all" || a == "flush" || a == "restart") {
    e.kind = a == "del-all" ? EventKind::kDelAll
                            : (a == "flush" ? EventKind::kFlush : EventKind::kRestart);
    if (!NoMore(a, args, 0)) {
      return false;
    }
  } else if (a == "spike") {
    e.kind = EventKind::kSpike;
    if (!Arg(a, "<key>", args, 0) ||
        !Options(a, args.subspan(1), {"rate", "workers", "for"}, opt) ||
        !Required(a, opt, {"rate", "workers", "for"}) ||
        !Number(a, "rate", opt["rate"], 0, kMaxRate, e.rate, /*min_exclusive=*/true) ||
        !Integer(a, "workers", opt["workers"], 1, kMaxWorkers, e.workers) ||
        !Duration(a, "for", opt["for"], e.duration)) {
      return false;
    }
    if (e.duration.count() == 0) {
      return Fail("spike: \"for\" must be more than 0");
    }
    e.key = std::string(args[0]);
  } else if (a == "rate") {
    e.kind = EventKind::kRate;
    if (!Arg(a, "<rate>", args, 0) || !Number(a, "rate", args[0], 0, kMaxRate, e.rate) ||
        !Options(a, args.subspan(1), {"for"}, opt) ||
        (opt.contains("for") && !Duration(a, "for", opt["for"], e.duration))) {
      return false;
    }
  } else if (a == "maxmemory") {
    e.kind = EventKind::kMaxmemory;
    if (!Arg(a, "<size>", args, 0) || !Size(a, "size", args[0], 0, kMaxMemoryBytes, e.bytes) ||
        !Options(a, args.subspan(1), {"policy"}, opt) ||
        (opt.contains("policy") && !OneOfWords(a, "policy", opt["policy"], kPolicies))) {
      return false;
    }
    e.name = std::string(opt["policy"]);
  } else if (a == "fill") {
    e.kind = EventKind::kFill;
    if (!Arg(a, "<count>", args, 0) || !Integer(a, "count", args[0], 1, kMaxFillCount, e.count) ||
        !Options(a, args.subspan(1), {"size", "ttl"}, opt) || !Required(a, opt, {"size"}) ||
        !Size(a, "size", opt["size"], 1, kMaxValueBytes, e.bytes) ||
        (opt.contains("ttl") && !Duration(a, "ttl", opt["ttl"], e.ttl))) {
      return false;
    }
  } else if (a == "marker") {
    e.kind = EventKind::kMarker;
    if (!Arg(a, "<kind>", args, 0) || !OneOfWords(a, "kind", args[0], kMarkers) ||
        !Options(a, args.subspan(1), {"for"}, opt) ||
        (opt.contains("for") && !Duration(a, "for", opt["for"], e.duration))) {
      return false;
    }
    e.name = std::string(args[0]);
  } else {
    return Fail("at: unknown action " + Quote(a) + " (expected " + OneOf(kActions) + ")");
  }
  scenario_.events.push_back(std::move(e));
  return true;
}

bool Parser::Duration(std::string_view ctx, std::string_view what, std::string_view tok,
                      Millis& out) {
  switch (ParseDurationToken(tok, out)) {
    case ValueError::kNone:
      return true;
    case ValueError::kRange:
      return Fail(std::string(ctx) + ": " + std::string(what) + " " + Quote(tok) +
                  " out of range (at most 24h)");
    case ValueError::kBad:
      break;
  }
  return Fail(std::string(ctx) + ": bad " + std::string(what) + " " + Quote(tok) +
              " (want a duration such as 250ms, 1.5s, 30s, 2m or 1h)");
}

bool Parser::Integer(std::string_view ctx, std::string_view what, std::string_view tok,
                     std::size_t min, std::size_t max, std::size_t& out) {
  const std::optional<std::uint64_t> v = ParseDigits(tok);
  if (!v) {
    return Fail(std::string(ctx) + ": bad " + std::string(what) + " " + Quote(tok) +
                " (want an integer)");
  }
  if (*v < min || *v > max) {
    return Fail(std::string(ctx) + ": " + std::string(what) + " " + Quote(tok) + " out of range [" +
                std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  out = static_cast<std::size_t>(*v);
  return true;
}

bool Parser::Number(std::string_view ctx, std::string_view what, std::string_view tok, double min,
                    double max, double& out, bool min_exclusive) {
  const std::optional<double> v = ParseDecimal(tok);
  if (!v) {
    return Fail(std::string(ctx) + ": bad " + std::string(what) + " " + Quote(tok) +
                " (want a decimal number such as 12 or 0.5)");
  }
  if ((min_exclusive ? *v <= min : *v < min) || *v > max) {
    return Fail(std::string(ctx) + ": " + std::string(what) + " " + Quote(tok) + " out of range " +
                (min_exclusive ? "(" : "[") + FormatNumber(min) + ", " + FormatNumber(max) + "]");
  }
  out = *v;
  return true;
}

bool Parser::Size(std::string_view ctx, std::string_view what, std::string_view tok,
                  std::uint64_t min, std::uint64_t max, std::uint64_t& out) {
  std::uint64_t v = 0;
  switch (ParseSizeToken(tok, max, v)) {
    case ValueError::kNone:
      if (v >= min) {
        out = v;
        return true;
      }
      [[fallthrough]];
    case ValueError::kRange:
      return Fail(std::string(ctx) + ": " + std::string(what) + " " + Quote(tok) +
                  " out of range [" + FormatSize(min) + ", " + FormatSize(max) + "]");
    case ValueError::kBad:
      break;
  }
  return Fail(std::string(ctx) + ": bad " + std::string(what) + " " + Quote(tok) +
              " (want a size such as 512, 64kb, 4mb or 1gb)");
}

bool Parser::OneOfWords(std::string_view ctx, std::string_view what, std::string_view tok,
                        std::span<const std::string_view> words) {
  if (Contains(words, tok)) {
    return true;
  }
  return Fail(std::string(ctx) + ": unknown " + std::string(what) + " " + Quote(tok) +
              " (expected " + OneOf(words) + ")");
}

bool Parser::Arg(std::string_view ctx, std::string_view what, Tokens t, std::size_t index) {
  if (index < t.size()) {
    return true;
  }
  return Fail(std::string(ctx) + ": missing " + std::string(what));
}

bool Parser::NoMore(std::string_view ctx, Tokens t, std::size_t n) {
  if (t.size() <= n) {
    return true;
  }
  return Fail(std::string(ctx) + ": unexpected " + Quote(t[n]) + " at end of line");
}

bool Parser::Options(std::string_view ctx, Tokens t, std::initializer_list<std::string_view> words,
                     std::map<std::string_view, std::string_view>& out) {
  for (std::size_t i = 0; i < t.size(); i += 2) {
    const std::string_view w = t[i];
    if (!Contains(words, w)) {
      return Fail(std::string(ctx) + ": unknown option " + Quote(w) + " (expected " + OneOf(words) +
                  ")");
    }
    if (out.contains(w)) {
      return Fail(std::string(ctx) + ": duplicate option " + Quote(w));
    }
    if (i + 1 >= t.size()) {
      return Fail(std::string(ctx) + ": missing value after " + Quote(w));
    }
    out[w] = t[i + 1];
  }
  return true;
}

bool Parser::Required(std::string_view ctx,
                      const std::map<std::string_view, std::string_view>& options,
                      std::initializer_list<std::string_view> words) {
  for (const std::string_view w : words) {
    if (!options.contains(w)) {
      return Fail(std::string(ctx) + ": missing \"" + std::string(w) + "\"");
    }
  }
  return true;
}

}  // namespace

std::string ScenarioError::ToString() const {
  std::string out = file.empty() ? "<scenario>" : file;
  if (line > 0) {
    out += ":" + std::to_string(line);
  }
  return out + ": " + reason;
}

ScenarioResult ParseScenario(std::string_view text, std::string_view file) {
  return Parser(file).Run(text);
}

ScenarioResult LoadScenario(std::string_view path) {
  const std::string file(path);
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return ScenarioError{file, 0, "cannot open the file"};
  }
  std::string text(kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    return ScenarioError{file, 0, "cannot read the file"};
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  // One byte past the limit is enough for ParseScenario to refuse the file as too large.
  return ParseScenario(text, file);
}

std::string ResolveScenarioPath(std::string_view arg, std::string_view scenarios_dir) {
  if (arg.find('/') != std::string_view::npos || arg.ends_with(".scn")) {
    return std::string(arg);
  }
  std::string path(scenarios_dir);
  if (!path.empty() && !path.ends_with('/')) {
    path += '/';
  }
  return path + std::string(arg) + ".scn";
}

std::vector<std::string> ListScenarios(std::string_view dir) {
  std::vector<std::string> names;
  std::error_code ec;
  std::filesystem::directory_iterator it(std::filesystem::path(dir), ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::filesystem::path& p = it->path();
    std::error_code type_ec;
    if (p.extension() == ".scn" && it->is_regular_file(type_ec)) {
      names.push_back(p.stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kWarm:
      return "warm";
    case EventKind::kDel:
      return "del";
    case EventKind::kDelAll:
      return "del-all";
    case EventKind::kFlush:
      return "flush";
    case EventKind::kSpike:
      return "spike";
    case EventKind::kRate:
      return "rate";
    case EventKind::kMaxmemory:
      return "maxmemory";
    case EventKind::kFill:
      return "fill";
    case EventKind::kRestart:
      return "restart";
    case EventKind::kMarker:
      return "marker";
  }
  return "unknown";
}

}  // namespace stampede::sim
