// Validation of the type section (GC's rules): rec groups, their references, and each sub type's
// declared supertype; canonicalizes the groups (type_canon.h) as it goes, so that a type's subtyping
// is checked by canonical id like everything after it.
#pragma once
#include "module.h"

namespace mitey {

/** Validates m.types and sets m.typeIds (the canonical id of each). */
void validateTypes(Module& m);

}  // namespace mitey
