// Flags of the keyspace-notification side ([events]).
#include "config/flag_table.h"

namespace stampede::config {

void AddEventsFlags(std::vector<FlagDef>& /*table*/) {}

}  // namespace stampede::config
