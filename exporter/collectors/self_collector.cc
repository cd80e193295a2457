#include "collectors/self_collector.h"

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "collectors/metric_builder.h"
#include "version.h"

namespace stampede::collectors {

namespace {

struct ProcStat {
  double cpu_seconds = 0;
  double rss_bytes = 0;
  double vsize_bytes = 0;
};

/// Fields 14-15 (utime, stime), 23 (vsize), 24 (rss pages) of /proc/self/stat. The command
/// name (field 2) may hold spaces, so parsing starts after its closing ')'.
bool ReadProcStat(ProcStat& out) {
  std::ifstream in("/proc/self/stat");
  std::string text;
  if (!std::getline(in, text)) {
    return false;
  }
  const auto close = text.rfind(')');
  if (close == std::string::npos) {
    return false;
  }
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  double utime = 0;
  double stime = 0;
  double vsize = 0;
  double rss = 0;
  // rest starts at field 3 (state).
  for (int i = 3; i <= 24 && rest >> field; ++i) {
    if (i == 14) {
      utime = std::stod(field);
    } else if (i == 15) {
      stime = std::stod(field);
    } else if (i == 23) {
      vsize = std::stod(field);
    } else if (i == 24) {
      rss = std::stod(field);
    }
  }
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  out.cpu_seconds = (utime + stime) / ticks;
  out.vsize_bytes = vsize;
  out.rss_bytes = rss * page;
  return true;
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
  ProcStat stat;
  if (!ReadProcStat(stat)) {
    return Status::Error("cannot read /proc/self/stat");
  }
  out.push_back(CounterFamily("process_cpu_seconds_total", "User and system CPU time spent.",
                              stat.cpu_seconds));
  out.push_back(
      GaugeFamily("process_resident_memory_bytes", "Resident memory size.", stat.rss_bytes));
  out.push_back(
      GaugeFamily("process_virtual_memory_bytes", "Virtual memory size.", stat.vsize_bytes));
  return Status::Ok();
}

}  // namespace stampede::collectors
