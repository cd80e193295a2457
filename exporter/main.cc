// stampede_exporter: flags in, exporter running until SIGINT or SIGTERM. Nothing else.
#include <malloc.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "app.h"
#include "config/flags.h"
#include "detect/detect_module.h"
#include "version.h"
#include "web/web_config_file.h"

namespace {

std::optional<std::string> GetEnv(std::string_view name) {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) {
    return std::nullopt;
  }
  return std::string(v);
}

}  // namespace

int main(int argc, char** argv) {
  // Two malloc arenas, not glibc's 8 per core: each web thread that served a scrape otherwise
  // kept an arena of its own, 1.2 MB of RSS after 8 scrapes in flight (BENCHMARKS.md, "Side by
  // side"), for no measurable CPU. Before any thread starts. MALLOC_ARENA_MAX still overrides.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {
    mallopt(M_ARENA_MAX, 2);
  }
  const std::string program = "stampede_exporter";
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = stampede::config::ParseFlags(args, GetEnv);
  if (!parsed.ok()) {
    std::cerr << program << ": " << parsed.status().message() << "\n";
    return 2;
  }
  const stampede::config::Config& config = parsed.value();
  if (config.show_help) {
    std::cout << stampede::config::HelpText(program);
    return 0;
  }
  if (config.show_version) {
    std::cout << program << " version " << stampede::kVersion << " (revision "
              << stampede::kRevision << ")\n";
    return 0;
  }
  auto password = stampede::config::ResolvePassword(config, GetEnv);
  if (!password.ok()) {
    std::cerr << program << ": " << password.status().message() << "\n";
    return 2;
  }

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto file = stampede::config::LoadConfigFile(config.config_file);
  if (!file.ok()) {
    std::cerr << program << ": --config.file: " << file.status().message() << "\n";
    return 2;
  }
  if (stampede::Status s = stampede::detect::CheckOverrides(*file); !s.ok()) {
    std::cerr << program << ": --config.file: " << config.config_file << ": " << s.message()
              << "\n";
    return 2;
  }

  auto web = stampede::web::LoadWebConfigFile(config.web_config_file);
  if (!web.ok()) {
    std::cerr << program << ": --web.config.file: " << web.status().message() << "\n";
    return 2;
  }

  stampede::Logger log(&std::cerr, config.log_level, config.log_format);
  log.Info("starting", {{"version", stampede::kVersion}, {"revision", stampede::kRevision}});
  stampede::App app(config, file.value(), password.value(), log, std::move(web).value());
  if (auto started = app.Start(); !started.ok()) {
    log.Error("cannot start", {{"err", started.message()}});
    return 1;
  }
  int signal = 0;
  sigwait(&stop_signals, &signal);
  log.Info("stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  app.Stop();
  return 0;
}
