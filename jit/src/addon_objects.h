// The addon's entry points for the JS API's objects: memories, tables and globals made from JS,
// and what JS does with any memory, table or global (exported or made): read, write, grow, identify.
#pragma once
#include <napi.h>

namespace mitey {

void registerObjectApi(Napi::Env env, Napi::Object exports);

}  // namespace mitey
