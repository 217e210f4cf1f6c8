// The AST of a .wast script: one type per directive, each with its location.
import { Loc } from './source.js';
import { Value } from '../core/values.js';

export type ModuleSource =
  | { kind: 'text'; text: string } // a "(module …)" in text, handed to the assembler as written
  | { kind: 'quote'; text: string } // "(module quote …)": the strings joined (a whole module, or fields wrapped in one), assembled when the command runs
  | { kind: 'binary'; bytes: Uint8Array };

export interface ModuleCommand {
  kind: 'module';
  loc: Loc;
  id?: string;
  definition: boolean; // "module definition": compiled, not instantiated
  source: ModuleSource;
  sourceText: string; // the directive as written, for reports
}

export interface ModuleInstanceCommand {
  kind: 'module_instance';
  loc: Loc;
  instanceId?: string;
  moduleId?: string; // the definition; absent: the last module defined
}

export interface Invoke {
  kind: 'invoke';
  loc: Loc;
  moduleId?: string;
  name: string;
  args: Value[];
}
export interface Get {
  kind: 'get';
  loc: Loc;
  moduleId?: string;
  name: string;
}
export type Action = Invoke | Get;

export type NanKind = 'canonical' | 'arithmetic';
export type LaneShape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
export type LanePattern = { kind: 'bits'; bits: bigint } | { kind: 'nan'; nan: NanKind };

export type RefPattern =
  | { kind: 'null'; heap?: string } // (ref.null) or (ref.null ht)
  | { kind: 'func'; index?: number } // any non-null function reference, or (ref.func N) the function of index N in its module
  | { kind: 'extern'; id?: number } // (ref.extern) or (ref.extern N)
  | { kind: 'host'; id: number }
  | { kind: 'heap'; heap: 'any' | 'eq' | 'i31' | 'struct' | 'array' | 'exn' }; // any non-null of that kind

export type Expected =
  | { kind: 'value'; value: Value } // exact to the bit (a NaN literal matches bit for bit)
  | { kind: 'nan'; type: 'f32' | 'f64'; nan: NanKind }
  | { kind: 'v128'; shape: LaneShape; lanes: LanePattern[] }
  | { kind: 'ref'; pattern: RefPattern }
  | { kind: 'either'; options: Expected[] };

interface Base {
  loc: Loc;
  sourceText: string;
}
export interface AssertReturn extends Base {
  kind: 'assert_return';
  action: Action;
  expected: Expected[];
}
export interface AssertTrap extends Base {
  kind: 'assert_trap';
  target: Action | ModuleCommand | ModuleInstanceCommand; // on a module: uninstantiable (trap while instantiating)
  message: string;
}
export interface AssertExhaustion extends Base {
  kind: 'assert_exhaustion';
  action: Action;
  message: string;
}
export interface AssertException extends Base {
  kind: 'assert_exception';
  action: Action;
}
export interface AssertModule extends Base {
  kind: 'assert_malformed' | 'assert_invalid' | 'assert_unlinkable' | 'assert_uninstantiable' | 'assert_malformed_custom' | 'assert_invalid_custom';
  module: ModuleCommand | ModuleInstanceCommand;
  message: string;
}
export type Assertion = AssertReturn | AssertTrap | AssertExhaustion | AssertException | AssertModule;

export interface RegisterCommand {
  kind: 'register';
  loc: Loc;
  name: string;
  moduleId?: string;
}
export interface ActionCommand {
  kind: 'action';
  loc: Loc;
  action: Action;
}
export interface ThreadCommand {
  kind: 'thread';
  loc: Loc;
  id: string;
  shared: string[]; // module ids shared with the parent
  commands: Command[];
}
export interface WaitCommand {
  kind: 'wait';
  loc: Loc;
  id: string;
}
/** A directive that could not be parsed: reported, and the rest of the script still runs. */
export interface BadCommand {
  kind: 'bad';
  loc: Loc;
  message: string;
  isAssertion: boolean;
  sourceText: string;
}

export type Command =
  | ModuleCommand
  | ModuleInstanceCommand
  | RegisterCommand
  | ActionCommand
  | Assertion
  | ThreadCommand
  | WaitCommand
  | BadCommand;

export interface Script {
  file: string;
  commands: Command[];
  /** Features the script declares it needs (a `;; mitey-features: a, b` comment line). */
  features: string[];
}

export const ASSERTION_KINDS: ReadonlySet<string> = new Set([
  'assert_return',
  'assert_trap',
  'assert_exhaustion',
  'assert_exception',
  'assert_malformed',
  'assert_invalid',
  'assert_unlinkable',
  'assert_uninstantiable',
  'assert_malformed_custom',
  'assert_invalid_custom',
]);

export function isAssertion(c: Command): c is Assertion {
  return ASSERTION_KINDS.has(c.kind);
}
