#include "detect/incident_log.h"

#include <algorithm>

namespace stampede::detect {

std::uint64_t IncidentLog::Open(Incident incident) {
  if (incidents_.size() >= capacity_) {
    auto victim = std::find_if(incidents_.begin(), incidents_.end(),
                               [](const Incident& i) { return !i.open; });
    incidents_.erase(victim == incidents_.end() ? incidents_.begin() : victim);
    ++evicted_;
  }
  incident.id = next_id_++;
  incidents_.push_back(std::move(incident));
  return incidents_.back().id;
}

Incident* IncidentLog::Find(std::uint64_t id) {
  for (Incident& i : incidents_) {
    if (i.id == id) {
      return &i;
    }
  }
  return nullptr;
}

const Incident* IncidentLog::Find(std::uint64_t id) const {
  return const_cast<IncidentLog*>(this)->Find(id);
}

std::vector<Incident> IncidentLog::Newest(std::size_t limit) const {
  std::vector<Incident> out;
  for (auto it = incidents_.rbegin(); it != incidents_.rend() && out.size() < limit; ++it) {
    out.push_back(*it);
  }
  return out;
}

}  // namespace stampede::detect
