// The baseline of bench/events/run: a bare keymiss subscriber, hiredis blocking reads and a
// counter, nothing else. Exits after `idle` seconds without a message and prints
// "received=<n> cpu_seconds=<user+system>".
#include <hiredis/hiredis.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s host port channel idle_seconds\n", argv[0]);
    return 2;
  }
  redisContext* ctx = redisConnect(argv[1], std::atoi(argv[2]));
  if (ctx == nullptr || ctx->err != 0) {
    std::fprintf(stderr, "connect failed\n");
    return 1;
  }
  void* reply = redisCommand(ctx, "SUBSCRIBE %s", argv[3]);
  if (reply == nullptr) {
    return 1;
  }
  freeReplyObject(reply);
  std::printf("subscribed\n");
  std::fflush(stdout);
  const timeval idle = {std::atoi(argv[4]), 0};
  redisSetTimeout(ctx, idle);
  unsigned long long received = 0;
  while (redisGetReply(ctx, &reply) == REDIS_OK) {
    ++received;
    freeReplyObject(reply);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::printf("received=%llu cpu_seconds=%.3f\n", received, cpu);
  redisFree(ctx);
  return 0;
}
