{
  "targets": [
    {
      "target_name": "mitey_jit",
      "sources": [
        "src/addon.cc",
        "src/addon_objects.cc",
        "src/exported_function.cc",
        "src/fast_entry.cc",
        "src/js_values.cc",
        "src/js_memory_buffer.cc",
        "src/decoder.cc",
        "src/validator.cc",
        "src/expr_decoder.cc",
        "src/numeric_handlers.cc",
        "src/codegen.cc",
        "src/trap.cc",
        "src/thread_state.cc",
        "src/env_state.cc",
        "src/references.cc",
        "src/linear_memory.cc",
        "src/runtime_handlers.cc",
        "src/atomic_handlers.cc",
        "src/instantiate.cc",
        "src/host_function.cc",
        "src/opcodes.cc",
        "src/type_canon.cc",
        "src/type_validation.cc",
        "src/gc_heap.cc",
        "src/gc_space.cc",
        "src/gc_roots.cc",
        "src/code_registry.cc",
        "src/code_space.cc",
        "src/frame_walk.cc",
        "src/gc_handlers.cc",
        "src/gc_js.cc",
        "src/exceptions.cc",
        "src/js_exceptions.cc",
        "src/simd_handlers.cc",
        "src/simd_handlers_sse41.cc",
        "src/simd_handlers_avx2.cc",
        "src/x64/macro_assembler.cc",
        "src/x64/stack_switch.cc",
        "src/activation.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      # NAPI_EXPERIMENTAL (no fixed NAPI_VERSION): basic finalizers run inside the garbage collector,
      # so instances nobody holds return their address space during a synchronous loop.
      "defines": ["NAPI_EXPERIMENTAL", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      # -fvisibility=hidden: the addon exports only its registration, so calls within it go direct, not
      # through the PLT (the hottest path into wasm made three such calls).
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y"],
      "cflags_cc": ["-std=c++20", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-O2", "-fvisibility=hidden"]
    }
  ]
}
