// How stampede_sim shows a run: the per-second table, the summary, and the summary as
// `name=value` lines for scripts (scripts/demo reads them).
#pragma once

#include <string>

#include "runner.h"
#include "scenario/scenario.h"

namespace stampede::sim {

/// The table's header line.
std::string RowHeader();
/// One line of the table (no trailing newline).
std::string FormatRow(const SecondRow& row);
/// The summary for people: the application's side, then what the exporter said.
std::string FormatSummary(const RunSummary& summary);
/// The summary as `name=value` lines (values without spaces or quotes; absent ones as `-`).
std::string SummaryLines(const RunSummary& summary);

}  // namespace stampede::sim
