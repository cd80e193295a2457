// Child processes for tests: spawn, signal, wait, always reaped.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace stampede::testing {

/// A child process started with execvp; stdout and stderr go to `log_path`. The destructor
/// sends SIGKILL and reaps it if it still runs. Not thread-safe.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void Signal(int sig) const;
  /// Waits for exit up to `timeout`; returns the exit status (waitpid form) or -1 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  /// SIGKILL and reap.
  void Kill();

 private:
  pid_t pid_ = -1;
  int status_ = 0;
};

/// A TCP port on 127.0.0.1 that was free a moment ago, never one this process handed out
/// before. It comes from below the kernel's ephemeral range (like scripts/lib/ports.sh), from a
/// random start: a port from bind(0) is an ephemeral one, which an outgoing connection or
/// another test's bind(0) could take before the server the caller starts binds it, or while a
/// test's Redis is down between a kill and its restart on the same port.
int FreePort();

/// A fresh temporary directory, removed by the caller.
std::string MakeTempDir(const std::string& prefix);

}  // namespace stampede::testing
