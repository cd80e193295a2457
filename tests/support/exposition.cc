#include "support/exposition.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/process.h"

namespace stampede::testing {

std::map<std::string, double> ParseExposition(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto sp = line.rfind(' ');
    if (sp == std::string::npos) {
      continue;
    }
    out[line.substr(0, sp)] = std::strtod(line.c_str() + sp + 1, nullptr);
  }
  return out;
}

std::optional<double> SampleValue(const std::string& text, const std::string& series) {
  const auto samples = ParseExposition(text);
  auto it = samples.find(series);
  if (it == samples.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string PromtoolCheckMetrics(const std::string& text, int& exit_code) {
  const std::string dir = MakeTempDir("stampede-promtool-");
  const std::string in_path = dir + "/metrics.txt";
  const std::string out_path = dir + "/out.txt";
  {
    std::ofstream f(in_path, std::ios::binary);
    f << text;
  }
  const std::string cmd = "promtool check metrics < " + in_path + " > " + out_path + " 2>&1";
  const int status = std::system(cmd.c_str());
  exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream out(out_path);
  std::stringstream printed;
  printed << out.rdbuf();
  std::filesystem::remove_all(dir);
  return printed.str();
}

}  // namespace stampede::testing
