#include "js_exceptions.h"

#include <memory>
#include <string>

#include "activation.h"
#include "env_state.h"
#include "exported_function.h"
#include "gc_js.h"
#include "guarded_callback.h"
#include "handles.h"
#include "instantiate.h"
#include "js_values.h"
#include "trap.h"
#include "type_canon.h"
#include "type_letters.h"

namespace mitey {

/**
 * What a WebAssembly.Exception object is wrapped around: its exception, and a weak reference to the
 * object for the exception's way back to JS. An exception freed or made again for another object is
 * told apart by Exception::jsObject (the live one's record).
 */
struct ExceptionObject {
  Exception* exception;
  napi_env env;
  napi_ref ref = nullptr;
};

namespace {

constexpr napi_type_tag kExceptionObjectTag = {0x6d69746579000006ull, 0x45584e4f424a0001ull};

/** A basic finalizer (it runs inside the collector): the object lets go of its exception. */
void finalizeObject(node_api_basic_env, void* data, void*) {
  auto* o = static_cast<ExceptionObject*>(data);
  if (o->ref) deleteReferenceLater(o->env, o->ref);
  Exception* e = o->exception;
  if (e->jsObject == o) {  // (else a newer object has it: this one died while wasm held it)
    e->jsObject = nullptr;
    if (unowned(e)) delete e;
  }
  delete o;
}

/** Wraps obj around e: false when obj cannot be (it is one already). */
bool adopt(napi_env env, napi_value obj, Exception* e) {
  auto* o = new ExceptionObject{e, env};
  if (napi_wrap(env, obj, o, finalizeObject, nullptr, nullptr) != napi_ok) {
    delete o;
    return false;
  }
  napi_type_tag_object(env, obj, &kExceptionObjectTag);
  napi_create_reference(env, obj, 0, &o->ref);
  e->jsObject = o;
  return true;
}

ExternHandle* tagArg(Napi::Env env, Napi::Value v) {
  auto* h = untag<ExternHandle>(env, v, kExternTag, "tag");
  if (h->kind != ExternKind::Tag) throw Napi::TypeError::New(env, "not a tag");
  return h;
}

Exception* exceptionArg(Napi::Env env, Napi::Value v) {
  Exception* e = exceptionOfObject(env, v);
  if (!e) throw Napi::TypeError::New(env, "not a WebAssembly.Exception");
  return e;
}

Napi::Value tagHandle(Napi::Env env, std::shared_ptr<TagInstance> tag) {
  auto h = std::make_unique<ExternHandle>();
  h->kind = ExternKind::Tag;
  h->owner = tag;
  h->tag = std::move(tag);
  return tagged(env, h.release(), kExternTag);
}

/** createTag(params): a tag made from JS, its parameters as value letters (type_letters.h). */
Napi::Value CreateTag(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string letters = info[0].ToString().Utf8Value();
  auto tag = std::make_shared<TagInstance>();
  for (char c : letters) {
    ValType t;
    if (!letterType(c, t)) throw Napi::TypeError::New(env, std::string("unknown value type \"") + c + "\"");
    tag->type.params.push_back(t);
  }
  tag->typeId = canonicalTypeId(tag->type);
  return tagHandle(env, std::move(tag));
}

/** jsTag(): the JS tag (WebAssembly.JSTag's). */
Napi::Value JsTag(const Napi::CallbackInfo& info) { return tagHandle(info.Env(), jsExceptionTagShared()); }

/** setExceptionFactory(fn): fn() makes a bare WebAssembly.Exception object for an exception leaving wasm. */
Napi::Value SetExceptionFactory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) throw Napi::TypeError::New(env, "setExceptionFactory(fn: Function)");
  setExceptionFactory(env, info[0]);
  return env.Undefined();
}

/**
 * exceptionCreate(object, tag, payload: unknown[]): makes the exception of a new WebAssembly.Exception
 * (the constructor's steps after WebIDL's conversions): a TypeError for the JS tag, a payload of
 * another length, a v128 or exnref parameter, a value that does not convert.
 */
Napi::Value ExceptionCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "exceptionCreate: not an object");
  ExternHandle* h = tagArg(env, info[1]);
  if (h->tag.get() == jsExceptionTag()) throw Napi::TypeError::New(env, "WebAssembly.Exception(): the JS tag's exceptions come from JS values thrown");
  if (!info[2].IsArray()) throw Napi::TypeError::New(env, "exceptionCreate: the payload is an array");
  Napi::Array payload = info[2].As<Napi::Array>();
  const std::vector<ValType>& types = h->tag->type.params;
  if (payload.Length() != types.size())
    throw Napi::TypeError::New(env, "WebAssembly.Exception(): the payload has " + std::to_string(payload.Length()) + " values, the tag " + std::to_string(types.size()));
  auto e = std::make_unique<Exception>();
  e->tag = h->tag.get();
  e->keepTag = h->tag;
  e->types = types;
  e->payload.assign(types.size(), 0);
  for (uint32_t i = 0; i < types.size(); i++) {
    if (!crossesToJs(types[i])) throw Napi::TypeError::New(env, "WebAssembly.Exception(): a v128 or exnref value cannot come from JS");
    if (!fromJsValue(env, types[i], payload.Get(i), e->payload[i])) return Napi::Value();  // its exception is pending
    // The payload's functions live as long as the exception.
    if (isFuncRef(types[i]) && e->payload[i]) e->keepAlive.push_back(ownerOf(reinterpret_cast<FuncInstance*>(e->payload[i])));
  }
  if (!adopt(env, info[0], e.get())) throw Napi::TypeError::New(env, "WebAssembly.Exception(): the object has an exception already");
  e.release();  // the object owns it
  return env.Undefined();
}

/** exceptionIs(object, tag): whether the exception is of that tag. */
Napi::Value ExceptionIs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Exception* e = exceptionArg(env, info[0]);
  return Napi::Boolean::New(env, e->tag == tagArg(env, info[1])->tag.get());
}

/** exceptionGetArg(object, tag, index): a TypeError for another tag or a v128 / exnref value, a RangeError past the payload. */
Napi::Value ExceptionGetArg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  Exception* e = exceptionArg(env, info[0]);
  if (e->tag != tagArg(env, info[1])->tag.get()) throw Napi::TypeError::New(env, "WebAssembly.Exception.getArg(): the exception has another tag");
  double index = info[2].ToNumber().DoubleValue();
  if (!(index >= 0) || index >= static_cast<double>(e->types.size())) throw Napi::RangeError::New(env, "WebAssembly.Exception.getArg(): index out of bounds");
  auto i = static_cast<size_t>(index);
  if (!crossesToJs(e->types[i])) throw Napi::TypeError::New(env, "WebAssembly.Exception.getArg(): a v128 or exnref value cannot cross to JS");
  size_t unit = 0;
  for (size_t k = 0; k < i; k++) unit += frameUnits(e->types[k]);
  return Napi::Value(env, toJsValue(env, e->types[i], e->payload[unit]));
}

}  // namespace

Exception* takePendingException() {
  ThreadState& ts = threadState();
  Exception* e = ts.pendingException;
  ts.pendingException = nullptr;
  return e;
}

napi_value exceptionToJs(napi_env env, Exception* e) {
  if (e->tag == jsExceptionTag()) {
    napi_value v = nullptr;
    if (!e->jsValue) v = gcRefToJs(env, e->payload[0]);
    else napi_get_reference_value(env, static_cast<napi_ref>(e->jsValue), &v);
    releaseHold(e);
    return v;
  }
  napi_value obj = nullptr;
  if (e->jsObject && napi_get_reference_value(env, e->jsObject->ref, &obj) == napi_ok && obj) {
    releaseHold(e);
    return obj;
  }
  // (A dead object's record stays until its finalizer, which sees it is not the exception's any more.)
  napi_value factory = exceptionFactory(env);
  if (!factory) {
    releaseHold(e);
    throwRuntimeError(env, "uncaught wasm exception");
    return nullptr;
  }
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  if (napi_call_function(env, undefined, factory, 0, nullptr, &obj) == napi_ok && adopt(env, obj, e)) {
    releaseHold(e);
    return obj;
  }
  releaseHold(e);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) {
    throwCaughtException(env);
  } else {
    throwError(env, JsError::Error, "cannot make a WebAssembly.Exception object");
  }
  return nullptr;
}

Exception* exceptionOfObject(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_object) return nullptr;
  bool ours = false;
  if (napi_check_object_type_tag(env, v, &kExceptionObjectTag, &ours) != napi_ok || !ours) return nullptr;
  void* data = nullptr;
  if (napi_unwrap(env, v, &data) != napi_ok || !data) return nullptr;
  return static_cast<ExceptionObject*>(data)->exception;
}

Exception* exceptionFromJs(napi_env env, napi_value thrown) {
  if (Exception* e = exceptionOfObject(env, thrown)) {
    holdInActivation(e);  // its object may die while wasm holds it
    return e;
  }
  napi_ref ref;
  if (napi_create_reference(env, thrown, 1, &ref) != napi_ok) {
    throwError(env, JsError::Error, "cannot hold the value thrown");
    return nullptr;
  }
  Slot none = 0;  // its externref is made if a catch by the JS tag needs it
  Exception* e = newException(jsExceptionTag(), &none, jsExceptionTag()->type.params);
  e->jsValue = ref;
  e->jsEnv = env;
  return e;
}

namespace {
struct Materialize {
  Exception* e;
  bool ok = false;
};

/** On the JS thread's stack: the JS value as an externref (a Map lookup in JS). */
void materializeOnMainStack(void* p) {
  auto* m = static_cast<Materialize*>(p);
  auto env = static_cast<napi_env>(m->e->jsEnv);
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value v = nullptr;
  Slot ref = 0;
  if (napi_get_reference_value(env, static_cast<napi_ref>(m->e->jsValue), &v) != napi_ok || !v) {
    throwError(env, JsError::Error, "cannot read the value thrown");
  } else if (gcRefFromJs(env, v, ref)) {
    m->e->payload[0] = ref;
    napi_delete_reference(env, static_cast<napi_ref>(m->e->jsValue));
    m->e->jsValue = nullptr;
    m->ok = true;
  }
  throwCaughtException(env);  // (gcRefFromJs's error, if any: it leaves wasm as the trap below says)
  napi_close_handle_scope(env, scope);
}
}  // namespace

void materializeJsPayload(Exception* e) {
  Materialize m{e};
  runOnMainStack(&materializeOnMainStack, &m);
  if (!m.ok) raiseTrap(Trap::HostException);  // out of externrefs: that RangeError leaves wasm
}

void registerExceptionApi(Napi::Env env, Napi::Object exports) {
  exportFunction(env, exports, "createTag", guarded<CreateTag>);
  exportFunction(env, exports, "jsTag", guarded<JsTag>);
  exportFunction(env, exports, "setExceptionFactory", guarded<SetExceptionFactory>);
  exportFunction(env, exports, "exceptionCreate", guarded<ExceptionCreate>);
  exportFunction(env, exports, "exceptionIs", guarded<ExceptionIs>);
  exportFunction(env, exports, "exceptionGetArg", guarded<ExceptionGetArg>);
}

}  // namespace mitey
