// GET /api/v1/incidents, /api/v1/incidents/<id> and /api/v1/status: the engine as JSON.
#pragma once

#include <string>
#include <vector>

#include "detect/engine.h"
#include "http/listener.h"

namespace stampede::detect {

/// Largest `limit` of /api/v1/incidents; the default is 20.
inline constexpr std::size_t kMaxIncidentsListed = 1000;

/// One incident as JSON; `timeline` false gives the summary the list shows. Pure.
std::string IncidentJson(const Incident& incident, bool timeline);
/// The status document: each class's verdict and indicators. Pure.
std::string StatusJson(const std::vector<ClassView>& classes);

/// The three routes, reading `engine` (which must outlive them).
std::vector<http::Route> IncidentRoutes(const Engine& engine);

}  // namespace stampede::detect
