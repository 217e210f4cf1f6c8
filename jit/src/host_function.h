// Imported JS functions: called from wasm like any function (ctx = the HostFunction), with values
// converted as the JS API does; a JS exception unwinds the wasm frames and stays pending.
#pragma once
#include <node_api.h>

#include <memory>

#include "instance.h"
#include "trap.h"

namespace mitey {

struct HostFunction : std::enable_shared_from_this<HostFunction> {
  napi_env env;
  napi_ref fn;
  FuncType type;
  FuncInstance func;  // what wasm calls: code = the host stub (stack_switch.h), ctx = this
  // Called back in JS by a fast entry's wrapper when it has a slot there (fast_entry.h), else -1.
  int32_t fastSlot = -1;
  std::shared_ptr<void> fastState;
  ~HostFunction();
};


/** Wraps a JS function as an importable function of the given type. */
std::shared_ptr<HostFunction> makeHostFunction(napi_env env, napi_value fn, const FuncType& type, uint32_t typeId);

}  // namespace mitey
