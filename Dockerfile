# syntax=docker/dockerfile:1
# stampede_exporter image: stampede-exporter/stampede-exporter:<appVersion> (helm/stampede-exporter).
#   docker build -t stampede-exporter/stampede-exporter:0.1.0 .
# Build stage: Debian bookworm's -dev packages (as scripts/lib/deps.sh installs them), only the
# exporter target. Runtime stage: bookworm-slim with the matching shared libraries, non-root.
ARG DEBIAN_RELEASE=bookworm

FROM debian:${DEBIAN_RELEASE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake g++ make pkg-config \
      prometheus-cpp-dev libcivetweb-dev libhiredis-dev nlohmann-json3-dev libyaml-cpp-dev \
      libssl-dev libcrypt-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# What the exporter target's configure and build read (see .dockerignore).
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY exporter/ exporter/
COPY sim/ sim/
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release \
      -DSTAMPEDE_BUILD_TESTS=OFF -DSTAMPEDE_BUILD_UNIT_TESTS=OFF \
      -DSTAMPEDE_BUILD_SCENARIOS=OFF -DSTAMPEDE_BUILD_BENCHMARKS=OFF \
 && cmake --build /build --target stampede_exporter -j"$(nproc)" \
 && strip /build/bin/stampede_exporter \
 && /build/bin/stampede_exporter --version

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# Runtime libraries of the -dev packages above (libstdc++6 is in the base image).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libprometheus-cpp-core1.0 libcivetweb1 libhiredis0.14 libyaml-cpp0.7 libssl3 libcrypt1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/bin/stampede_exporter /usr/local/bin/stampede_exporter
# The two OpenSSL shims CivetWeb's TLS needs on OpenSSL 3 (cmake/StampedeOpenSSLShim.cmake),
# where the binary loads them from when TLS or basic auth is on (../lib/stampede_exporter).
COPY --from=build /build/lib/stampede_exporter/ /usr/local/lib/stampede_exporter/
# 65532: the conventional "nonroot" uid/gid (distroless); the chart runs as the same ids.
USER 65532:65532
# 9912 HTTP (/metrics, /-/healthy, /-/ready, /api/v1/*); 8125/udp StatsD and 9913 HTTP ingest,
# which listen on loopback unless --statsd.listen-udp / --ingest.listen-address say otherwise.
EXPOSE 9912/tcp 8125/udp 9913/tcp
LABEL org.opencontainers.image.title="stampede_exporter" \
      org.opencontainers.image.description="Prometheus exporter that detects cache stampedes on Redis" \
      org.opencontainers.image.source="https://github.com/stampede-exporter/stampede_exporter" \
      org.opencontainers.image.version="0.1.0"
ENTRYPOINT ["/usr/local/bin/stampede_exporter"]
