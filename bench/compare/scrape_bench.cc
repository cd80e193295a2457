// The scrape side of bench/compare/run: scrapes one exporter the way the research's anchor
// benchmark scraped redis_exporter (a new connection per scrape, plain text, no gzip) and
// reads the exporter's CPU (all threads, /proc/PID/task/*/schedstat) around each phase:
//   1. warm-up scrapes, then an idle pause: the exporter's CPU per second with no scrape
//      (its own background work: INFO sampling, notifications);
//   2. latency: N scrapes one at a time (median, p99);
//   3. CPU: M more scrapes one at a time (raw, and net of the idle rate over the phase's
//      duration);
//   4. parallel: K scrapes with P in flight (median, p99, scrapes/s).
// With --redis-pid, Redis's CPU per scrape over phase 3, net of its idle rate (its own cron),
// too: redis_exporter asks Redis for INFO ALL, CONFIG GET * and more at every scrape.
// Prints key=value lines; exit status 1 when a scrape failed (not HTTP 200) or /proc/PID went.
//   bench_scrape --port P --pid PID [--redis-pid PID] [--path /metrics] [--warmup 20]
//   [--idle-seconds 5]
//                [--sequential 200] [--cpu-scrapes 2000] [--parallel 8] [--parallel-total 400]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int port = 0;
  int pid = 0;
  int redis_pid = 0;
  std::string path = "/metrics";
  int warmup = 20;
  int idle_seconds = 5;
  int sequential = 200;
  int cpu_scrapes = 2000;
  int parallel = 8;
  int parallel_total = 400;
};

// One GET over a fresh connection; the body (without headers) or nothing on any failure.
std::optional<std::string> Scrape(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::nullopt;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request = "GET " + path +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench_scrape\r\n"
                                "Accept: text/plain\r\nConnection: close\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buf[65536];
      ssize_t n;
      while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) response.append(buf, n);
    }
  }
  close(fd);
  const auto end = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.1 200", 0) != 0 || end == std::string::npos) return std::nullopt;
  return response.substr(end + 4);
}

// CPU time of PID in seconds: the sum of its threads' run time from /proc/PID/task/*/schedstat
// (nanoseconds), not /proc/PID/stat's 10 ms ticks, which made a 0.5 s phase read +-4 %.
// Nothing when PID is gone. (A thread that ended takes its time with it: both exporters keep
// their threads.)
std::optional<double> CpuSeconds(int pid) {
  if (pid <= 0) return std::nullopt;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  double ns = 0;
  bool any = false;
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream in(task.path() / "schedstat");
    double run_ns = 0;
    if (in >> run_ns) {
      ns += run_ns;
      any = true;
    }
  }
  if (ec || !any) return std::nullopt;
  return ns / 1e9;
}

long RssKib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// Nearest-rank percentile of sorted milliseconds.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

bool ParseArgs(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const char* value = argv[i + 1];
    if (name == "--port")
      o.port = std::atoi(value);
    else if (name == "--pid")
      o.pid = std::atoi(value);
    else if (name == "--redis-pid")
      o.redis_pid = std::atoi(value);
    else if (name == "--path")
      o.path = value;
    else if (name == "--warmup")
      o.warmup = std::atoi(value);
    else if (name == "--idle-seconds")
      o.idle_seconds = std::atoi(value);
    else if (name == "--sequential")
      o.sequential = std::atoi(value);
    else if (name == "--cpu-scrapes")
      o.cpu_scrapes = std::atoi(value);
    else if (name == "--parallel")
      o.parallel = std::atoi(value);
    else if (name == "--parallel-total")
      o.parallel_total = std::atoi(value);
    else
      return false;
  }
  return argc % 2 == 1 && o.port > 0 && o.pid > 0 && o.sequential > 0 && o.cpu_scrapes > 0 &&
         o.idle_seconds > 0 && o.parallel > 0 && o.parallel_total >= o.parallel;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, o)) {
    std::fprintf(
        stderr,
        "usage: bench_scrape --port P --pid PID [--redis-pid PID] [--path /metrics] [--warmup N] "
        "[--idle-seconds N] [--sequential N] [--cpu-scrapes N] [--parallel N] "
        "[--parallel-total N]\n");
    return 2;
  }
  std::atomic<int> failures{0};
  std::string body;
  for (int i = 0; i < o.warmup; ++i) {
    if (auto b = Scrape(o.port, o.path))
      body = std::move(*b);
    else
      ++failures;
  }
  const auto idle0 = CpuSeconds(o.pid);
  const auto redis_idle0 = CpuSeconds(o.redis_pid);
  const auto i0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.idle_seconds));
  const auto idle1 = CpuSeconds(o.pid);
  const auto redis_idle1 = CpuSeconds(o.redis_pid);
  const double idle_seconds = Millis(Clock::now() - i0) / 1e3;

  std::vector<double> seq;
  for (int i = 0; i < o.sequential; ++i) {
    const auto t0 = Clock::now();
    if (Scrape(o.port, o.path))
      seq.push_back(Millis(Clock::now() - t0));
    else
      ++failures;
  }

  const auto cpu0 = CpuSeconds(o.pid);
  const auto redis0 = CpuSeconds(o.redis_pid);
  const auto c0 = Clock::now();
  for (int i = 0; i < o.cpu_scrapes; ++i) {
    if (!Scrape(o.port, o.path)) ++failures;
  }
  const double cpu_phase_seconds = Millis(Clock::now() - c0) / 1e3;
  const auto cpu1 = CpuSeconds(o.pid);
  const auto redis1 = CpuSeconds(o.redis_pid);

  std::vector<std::vector<double>> lat(o.parallel);
  std::atomic<int> next{0};
  const auto p0 = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < o.parallel; ++t) {
    threads.emplace_back([&, t] {
      while (next.fetch_add(1) < o.parallel_total) {
        const auto t0 = Clock::now();
        if (Scrape(o.port, o.path))
          lat[t].push_back(Millis(Clock::now() - t0));
        else
          ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  const double par_seconds = Millis(Clock::now() - p0) / 1e3;
  const auto cpu2 = CpuSeconds(o.pid);
  if (!idle0 || !idle1 || !cpu0 || !cpu1 || !cpu2) {
    std::fprintf(stderr, "bench_scrape: cannot read /proc/%d/stat\n", o.pid);
    return 1;
  }
  std::vector<double> par;
  for (const auto& l : lat) par.insert(par.end(), l.begin(), l.end());
  std::sort(seq.begin(), seq.end());
  std::sort(par.begin(), par.end());

  long series = 0;
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '#') ++series;
  }
  std::printf("body_bytes=%zu\nseries=%ld\nfailures=%d\n", body.size(), series, failures.load());
  const double idle_rate = (*idle1 - *idle0) / idle_seconds;
  std::printf("idle_cpu_ms_per_second=%.3f\n", 1e3 * idle_rate);
  std::printf("seq_n=%zu\nseq_median_ms=%.3f\nseq_p99_ms=%.3f\n", seq.size(), Percentile(seq, 50),
              Percentile(seq, 99));
  std::printf("cpu_scrapes=%d\ncpu_ms_per_scrape=%.4f\ncpu_net_ms_per_scrape=%.4f\n", o.cpu_scrapes,
              1e3 * (*cpu1 - *cpu0) / static_cast<double>(o.cpu_scrapes),
              1e3 * std::max(0.0, *cpu1 - *cpu0 - idle_rate * cpu_phase_seconds) /
                  static_cast<double>(o.cpu_scrapes));
  if (redis_idle0 && redis_idle1 && redis0 && redis1) {
    const double redis_idle_rate = (*redis_idle1 - *redis_idle0) / idle_seconds;
    std::printf("redis_cpu_ms_per_scrape=%.4f\n",
                1e3 * std::max(0.0, *redis1 - *redis0 - redis_idle_rate * cpu_phase_seconds) /
                    static_cast<double>(o.cpu_scrapes));
  }
  std::printf(
      "par_n=%zu\npar_in_flight=%d\npar_median_ms=%.3f\npar_p99_ms=%.3f\n"
      "par_scrapes_per_second=%.1f\npar_cpu_ms_per_scrape=%.3f\n",
      par.size(), o.parallel, Percentile(par, 50), Percentile(par, 99),
      static_cast<double>(par.size()) / par_seconds,
      1e3 * (*cpu2 - *cpu1) / static_cast<double>(o.parallel_total));
  std::printf("rss_kib=%ld\n", RssKib(o.pid));
  return failures.load() == 0 ? 0 : 1;
}
