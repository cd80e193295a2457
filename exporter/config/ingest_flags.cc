// Flags of the application-counter side ([ingest]).
#include "config/flag_table.h"

namespace stampede::config {

void AddIngestFlags(std::vector<FlagDef>& /*table*/) {}

}  // namespace stampede::config
