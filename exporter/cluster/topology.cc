#include "cluster/topology.h"

#include <algorithm>
#include <map>

namespace stampede::cluster {

namespace {

using redis::Reply;

bool IsInt(const Reply& r) { return r.type == Reply::Type::kInteger; }

// One command on a connection of its own.
Result<Reply> AskOnce(const redis::Connection::Options& options,
                      const std::vector<std::string>& argv) {
  Result<std::unique_ptr<redis::Connection>> conn = redis::Connection::Open(options);
  if (!conn.ok()) {
    return conn.status();
  }
  return (*conn)->Command(argv);
}

}  // namespace

std::string Master::Label() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool Master::Serves(int slot) const {
  return std::any_of(slots.begin(), slots.end(),
                     [slot](const auto& r) { return slot >= r.first && slot <= r.second; });
}

Result<std::vector<Master>> ParseClusterSlots(const Reply& reply,
                                              const std::string& fallback_host) {
  if (reply.type == Reply::Type::kError) {
    return Status::Error("CLUSTER SLOTS: " + reply.str);
  }
  if (reply.type != Reply::Type::kArray) {
    return Status::Error("CLUSTER SLOTS: not an array");
  }
  std::map<std::string, Master> by_label;
  for (const Reply& range : reply.elements) {
    // [start, end, [ip, port, id, ...] (the master), replicas...]
    if (range.type != Reply::Type::kArray || range.elements.size() < 3 ||
        !IsInt(range.elements[0]) || !IsInt(range.elements[1]) ||
        range.elements[2].type != Reply::Type::kArray || range.elements[2].elements.size() < 2 ||
        range.elements[2].elements[0].type != Reply::Type::kString ||
        !IsInt(range.elements[2].elements[1])) {
      return Status::Error("CLUSTER SLOTS: malformed slot range");
    }
    const Reply& node = range.elements[2];
    const long long port = node.elements[1].integer;
    if (port < 1 || port > 65535) {
      return Status::Error("CLUSTER SLOTS: bad port " + std::to_string(port));
    }
    Master m;
    m.host = node.elements[0].str.empty() ? fallback_host : node.elements[0].str;
    m.port = static_cast<int>(port);
    Master& entry = by_label.try_emplace(m.Label(), m).first->second;
    entry.slots.emplace_back(static_cast<int>(range.elements[0].integer),
                             static_cast<int>(range.elements[1].integer));
  }
  std::vector<Master> out;
  out.reserve(by_label.size());
  for (auto& [label, m] : by_label) {
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<Master>> FetchMasters(const redis::Connection::Options& options) {
  Result<Reply> reply = AskOnce(options, {"CLUSTER", "SLOTS"});
  if (!reply.ok()) {
    return reply.status();
  }
  return ParseClusterSlots(*reply, options.address.host);
}

Result<bool> ClusterEnabled(const redis::Connection::Options& options) {
  Result<Reply> reply = AskOnce(options, {"INFO", "cluster"});
  if (!reply.ok()) {
    return reply.status();
  }
  if (reply->type != Reply::Type::kString) {
    return Status::Error("INFO cluster: " + (reply->type == Reply::Type::kError
                                                 ? reply->str
                                                 : std::string("no text")));
  }
  return reply->str.find("cluster_enabled:1") != std::string::npos;
}

}  // namespace stampede::cluster
