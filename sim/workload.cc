#include "workload.h"

#include <algorithm>
#include <cmath>

namespace stampede::sim {

std::vector<std::string> KeyRange(std::string_view prefix, std::size_t first, std::size_t count) {
  std::vector<std::string> keys;
  keys.reserve(count);
  for (std::size_t i = first; i < first + count; ++i) {
    keys.push_back(std::string(prefix) + std::to_string(i));
  }
  return keys;
}

KeyChooser::KeyChooser(std::size_t n, Distribution distribution, double zipf_s) : n_(n) {
  if (distribution != Distribution::kZipf || n == 0) {
    return;
  }
  cdf_.reserve(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += 1.0 / std::pow(static_cast<double>(i + 1), zipf_s);
    cdf_.push_back(sum);
  }
  for (double& c : cdf_) {
    c /= sum;
  }
}

std::size_t KeyChooser::Pick(std::mt19937_64& rng) const {
  if (n_ <= 1) {
    return 0;
  }
  if (cdf_.empty()) {
    return std::uniform_int_distribution<std::size_t>(0, n_ - 1)(rng);
  }
  const double u = std::uniform_real_distribution<double>(0, 1)(rng);
  const auto it = std::lower_bound(cdf_.begin(), cdf_.end(), u);
  return std::min(static_cast<std::size_t>(it - cdf_.begin()), n_ - 1);
}

Workload::Workload(Options options, CacheClient& client)
    : options_(std::move(options)),
      client_(client),
      chooser_(options_.keys.size(), options_.distribution, options_.zipf_s),
      rate_(options_.rate) {}

Workload::~Workload() { Stop(); }

void Workload::Start() {
  if (!threads_.empty() || options_.keys.empty()) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  const std::size_t workers = std::max<std::size_t>(1, options_.workers);
  for (std::size_t i = 0; i < workers; ++i) {
    threads_.emplace_back([this, i] { Work(i); });
  }
}

void Workload::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    t.join();
  }
  threads_.clear();
}

void Workload::SetRate(double per_second) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    rate_.store(std::max(0.0, per_second));
    ++rate_changes_;
  }
  cv_.notify_all();
}

bool Workload::Do(CacheClient::Session& session, std::mt19937_64& rng) {
  if (options_.operation == Operation::kGet && options_.cold_fraction > 0 &&
      std::uniform_real_distribution<double>(0, 1)(rng) < options_.cold_fraction) {
    const std::string key = options_.cold_prefix + std::to_string(cold_next_++);
    return session.Get(key) != GetResult::kError;
  }
  const std::string& key = options_.keys[chooser_.Pick(rng)];
  switch (options_.operation) {
    case Operation::kGet:
      return session.Get(key) != GetResult::kError;
    case Operation::kPollLock:
      return !session.link().Command({"EXISTS", "lock:" + key}).failed();
    case Operation::kLockCycle:
      if (session.TryLock(key)) {
        session.Unlock(key);
      }
      return true;
  }
  return false;
}

void Workload::Work(std::size_t index) {
  using Clock = std::chrono::steady_clock;
  std::mt19937_64 rng(options_.seed * 1000003 + index);
  CacheClient::Session session = client_.NewSession();
  const double workers = static_cast<double>(std::max<std::size_t>(1, options_.workers));
  // Workers start spread over one interval, not in lockstep.
  const auto interval_of = [&](double rate) {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(workers / rate));
  };
  double rate = rate_.load();
  Clock::time_point next = Clock::now();
  if (rate > 0) {
    next += std::chrono::duration_cast<Clock::duration>(
        interval_of(rate) * std::uniform_real_distribution<double>(0, 1)(rng));
  }
  std::uint64_t seen_changes = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Rate pacing: wait for this worker's next slot (or a rate change, or Stop()).
      const auto woken = [&] { return stop_ || rate_changes_ != seen_changes; };
      if (rate_.load() <= 0) {
        cv_.wait(lock, woken);
      } else {
        cv_.wait_until(lock, next, woken);
      }
      if (stop_) {
        return;
      }
      if (rate_changes_ != seen_changes) {
        seen_changes = rate_changes_;
        rate = rate_.load();
        next = Clock::now();
        if (rate > 0) {
          next += std::chrono::duration_cast<Clock::duration>(
              interval_of(rate) * std::uniform_real_distribution<double>(0, 1)(rng));
        }
        continue;
      }
    }
    if (!Do(session, rng)) {
      ++failures_;
    }
    ++operations_;
    next += interval_of(rate);
    const auto now = Clock::now();
    if (now - next > kMaxLag) {
      next = now;  // fell behind (a slow load): no burst to catch up
    }
  }
}

ActionResult DelKey(RedisLink& link, std::string_view key) {
  const RedisReply r = link.Command({"DEL", key});
  if (r.failed()) {
    return {false, 0, "DEL " + std::string(key) + ": " + r.str};
  }
  return {true, r.integer, ""};
}

ActionResult DelKeys(RedisLink& link, const std::vector<std::string>& keys) {
  if (keys.empty()) {
    return {true, 0, ""};
  }
  std::vector<std::string> argv;
  argv.reserve(keys.size() + 1);
  argv.push_back("DEL");
  argv.insert(argv.end(), keys.begin(), keys.end());
  const RedisReply r = link.Command(argv);
  if (r.failed()) {
    return {false, 0, "DEL of " + std::to_string(keys.size()) + " keys: " + r.str};
  }
  return {true, r.integer, ""};
}

ActionResult TallyReplies(const std::vector<RedisReply>& replies, std::string_view what) {
  ActionResult result{true, 0, ""};
  for (const RedisReply& r : replies) {
    if (r.failed()) {
      if (result.ok) {
        result.error = std::string(what) + ": " + r.str;
      }
      result.ok = false;
    } else {
      ++result.count;
    }
  }
  return result;
}

ActionResult SetKeys(RedisLink& link, const std::vector<std::string>& keys,
                     std::chrono::seconds ttl, double jitter, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const double j = std::clamp(jitter, 0.0, 1.0);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(keys.size());
  for (const std::string& key : keys) {
    std::vector<std::string> set = {"SET", key, "seed:" + key};
    if (ttl.count() > 0) {
      double seconds = static_cast<double>(ttl.count());
      if (j > 0) {
        seconds *= std::uniform_real_distribution<double>(1 - j, 1 + j)(rng);
      }
      set.push_back("EX");
      set.push_back(std::to_string(std::max<long long>(1, std::llround(seconds))));
    }
    commands.push_back(std::move(set));
  }
  return TallyReplies(link.Pipeline(commands), "SET");
}

}  // namespace stampede::sim
