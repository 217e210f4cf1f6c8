// A generator module built by hand, for tests that need one exact tree: these functions, one page of
// memory 0, nothing else of its own (`extra` adds the rest).
import type { Function, Module } from './ast.js';

export const moduleOf = (functions: Function[], extra: Partial<Module> = {}): Module => ({
  types: [],
  functions,
  memory: { min: 1, max: 1 },
  table: { min: 0, max: null },
  tables: [],
  elements: [],
  passiveElements: [],
  passiveData: [],
  globals: [],
  fuel: 1000,
  ...extra,
});
