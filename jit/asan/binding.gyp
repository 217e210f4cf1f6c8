# The JIT addon built with AddressSanitizer and UBSan (npm run build:asan), for the fuzzer's --asan run:
# the same sources and defines as ../binding.gyp (mirror.py reads them from there), no optimisation
# that would hide a bad access, frame pointers for readable reports, RTTI for UBSan's vptr check.
{
  "targets": [
    {
      "target_name": "mitey_jit_asan",
      "sources": ["<!@(python3 mirror.py sources)"],
      "defines": ["<!@(python3 mirror.py defines)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++1y"],
      "cflags_cc": [
        "-std=c++20", "-fexceptions", "-frtti",
        "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-O1", "-g"
      ],
      "ldflags": ["-fsanitize=address,undefined"]
    }
  ]
}
