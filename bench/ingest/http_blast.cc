// The HTTP load for bench/ingest/run: one keep-alive connection POSTs the same JSON batch
// REQUESTS times to 127.0.0.1:<port>/api/v1/events and waits for each answer. Prints
// `requests=N ok=K seconds=S`.
//   [QUICKACK=0] http_blast PORT BATCH_FILE REQUESTS
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace {

// CivetWeb writes an answer's headers and body in two writes; without TCP_NODELAY on the
// server the second waits for the client's delayed ACK (~40 ms). QUICKACK=1 (the default)
// ACKs at once, measuring the server; QUICKACK=0 shows what a plain client sees.
bool g_quickack = true;

// Reads one answer (headers + Content-Length body) from `fd`; returns its status or 0.
int ReadAnswer(int fd, std::string& pending) {
  char buf[8192];
  while (true) {
    const std::size_t end = pending.find("\r\n\r\n");
    if (end != std::string::npos) {
      const std::size_t cl = pending.find("Content-Length: ");
      const std::size_t length = cl != std::string::npos && cl < end
                                     ? std::strtoul(pending.c_str() + cl + 16, nullptr, 10)
                                     : 0;
      if (pending.size() >= end + 4 + length) {
        const int status = std::atoi(pending.c_str() + 9);
        pending.erase(0, end + 4 + length);
        return status;
      }
    }
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) {
      return 0;
    }
    if (g_quickack) {  // Linux clears it after each ACK: set it again after each read
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
    }
    pending.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s PORT BATCH_FILE REQUESTS\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const long requests = std::atol(argv[3]);
  const char* quickack = std::getenv("QUICKACK");
  g_quickack = quickack == nullptr || std::string(quickack) != "0";
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[1])));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::perror("connect");
    return 1;
  }
  const std::string request =
      "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string pending;
  long ok = 0;
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < requests; ++i) {
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      break;
    }
    ok += ReadAnswer(fd, pending) == 202 ? 1 : 0;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("requests=%ld ok=%ld seconds=%.3f\n", requests, ok, secs);
  close(fd);
  return ok == requests ? 0 : 1;
}
