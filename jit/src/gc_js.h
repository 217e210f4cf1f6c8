// GC references at the JS boundary (the JS API's ToJSValue and ToWebAssemblyValue for the any and
// extern hierarchies, which share one word: gc_heap.h). A struct or array reaches JS as an opaque
// object, its wrapper: one per object while JS holds it, so the same object crossing twice is the
// same JS value, and the wrapper passed back is the same reference (ref.eq holds). An i31 is a
// Number; a host value is the JS value it was made from.
#pragma once
#include <node_api.h>

#include "gc_heap.h"

namespace mitey {

/** A reference of the any or extern hierarchy as JS; null with a JS exception pending when its object's face cannot be made. */
napi_value gcRefToJs(napi_env env, uint64_t r);
/**
 * Internalizes a JS value: null 0, an integral Number in i31's range (not -0) an i31, a wrapper its
 * object, anything else a host value. False with a JS exception pending when it cannot be recorded.
 */
bool gcRefFromJs(napi_env env, napi_value v, uint64_t& out);
/** Hands the collector every object of this thread whose wrapper lives (or whose finalizer has not run yet): roots. */
void visitWrappedObjects(GcWordVisitor& v);
/** The object behind a wrapper, or null for any other value. */
GcObject* gcObjectOfJs(napi_env env, napi_value v);

}  // namespace mitey
