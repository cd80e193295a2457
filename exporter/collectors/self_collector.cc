#include "collectors/self_collector.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>

#include "collectors/metric_builder.h"
#include "version.h"

namespace stampede::collectors {

std::optional<ProcStat> ParseProcStat(std::string_view text, double ticks_per_second,
                                      double page_bytes) {
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(close + 1);
  double utime = 0, stime = 0, vsize = 0, rss = 0;
  int found = 0;
  // rest starts before field 3 (state); fields are separated by single spaces.
  for (int i = 3; i <= 24; ++i) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const std::size_t end = std::min(rest.find_first_of(" \n"), rest.size());
    const std::string_view field = rest.substr(0, end);
    if (field.empty()) {
      return std::nullopt;
    }
    double* into = i == 14   ? &utime
                   : i == 15 ? &stime
                   : i == 23 ? &vsize
                   : i == 24 ? &rss
                             : nullptr;
    if (into != nullptr) {
      unsigned long long v = 0;
      const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
      if (ec != std::errc() || ptr != field.data() + field.size()) {
        return std::nullopt;
      }
      *into = static_cast<double>(v);
      ++found;
    }
    rest.remove_prefix(end);
  }
  if (found != 4 || ticks_per_second <= 0) {
    return std::nullopt;
  }
  return ProcStat{(utime + stime) / ticks_per_second, rss * page_bytes, vsize};
}

namespace {

// /proc/self/stat with one read(): no stream, no locale (an ifstream and an istringstream were
// 7 % of a scrape's CPU).
std::optional<ProcStat> ReadProcStat() {
  const int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::nullopt;
  }
  char buf[1024];
  const ssize_t n = read(fd, buf, sizeof(buf));
  close(fd);
  if (n <= 0) {
    return std::nullopt;
  }
  static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  static const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  return ParseProcStat(std::string_view(buf, static_cast<std::size_t>(n)), ticks, page);
}

double CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) {
    return 0;
  }
  double n = 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') {
      n += 1;
    }
  }
  closedir(dir);
  return n - 1;  // the fd opendir itself holds
}

}  // namespace

SelfCollector::SelfCollector()
    : start_time_seconds_(
          std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
              .count()) {}

Status SelfCollector::Collect(Families& out) const {
  out.push_back(FamilyBuilder("stampede_build_info",
                              "Always 1; labels give the exporter's version and git revision.",
                              prometheus::MetricType::Gauge)
                    .Add({{"version", kVersion}, {"revision", kRevision}}, 1)
                    .Build());
  out.push_back(GaugeFamily("process_start_time_seconds",
                            "Start time of the process since the Unix epoch.",
                            start_time_seconds_));
  out.push_back(GaugeFamily("process_open_fds", "Open file descriptors.", CountOpenFds()));
  const std::optional<ProcStat> stat = ReadProcStat();
  if (!stat) {
    return Status::Error("cannot read /proc/self/stat");
  }
  out.push_back(CounterFamily("process_cpu_seconds_total", "User and system CPU time spent.",
                              stat->cpu_seconds));
  out.push_back(
      GaugeFamily("process_resident_memory_bytes", "Resident memory size.", stat->rss_bytes));
  out.push_back(
      GaugeFamily("process_virtual_memory_bytes", "Virtual memory size.", stat->vsize_bytes));
  return Status::Ok();
}

}  // namespace stampede::collectors
