// The `spectest` host module of the official suites, as text so that every engine makes it the same way.
// The print functions do nothing: no script checks what they print.

export const SPECTEST_TEXT = `(module
  (func (export "print"))
  (func (export "print_i32") (param i32))
  (func (export "print_i64") (param i64))
  (func (export "print_f32") (param f32))
  (func (export "print_f64") (param f64))
  (func (export "print_i32_f32") (param i32 f32))
  (func (export "print_f64_f64") (param f64 f64))
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (memory (export "memory") 1 2)
)`;

/** Parts an engine may lack; each is made on its own, so that the rest of spectest still exists. */
export const SPECTEST_EXTRA_TEXTS = [
  `(module (memory (export "shared_memory") 1 2 shared))`,
  `(module (table (export "table64") i64 10 20 funcref))`,
];
