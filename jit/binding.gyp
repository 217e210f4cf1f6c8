{
  "targets": [
    {
      "target_name": "mitey_jit",
      "sources": [
        "src/addon.cc",
        "src/decoder.cc",
        "src/validator.cc",
        "src/expr_decoder.cc",
        "src/numeric_handlers.cc",
        "src/codegen.cc",
        "src/trap.cc",
        "src/thread_state.cc",
        "src/linear_memory.cc",
        "src/runtime_handlers.cc",
        "src/instantiate.cc",
        "src/host_function.cc",
        "src/opcodes.cc",
        "src/simd_handlers.cc",
        "src/simd_handlers_sse41.cc",
        "src/simd_handlers_avx2.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y"],
      "cflags_cc": ["-std=c++20", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-O2"]
    }
  ]
}
