// Runs a parsed script against an Engine: one method per directive, over one context object.
import { Assembler, AssemblerError } from './assembler.js';
import { Engine, EngineError, EngineInstance, EngineModule, ExternValue } from './engine.js';
import { describeExpected, describeValue, expectedShape, resultsMatch } from './match.js';
import { addTally, DirectiveResult, emptyCounts, emptyTally, FileResult, Outcome, Tally } from './results.js';
import {
  Action,
  AssertException,
  AssertExhaustion,
  AssertModule,
  AssertReturn,
  AssertTrap,
  Command,
  isAssertion,
  ModuleCommand,
  ModuleInstanceCommand,
  RegisterCommand,
  Script,
  ThreadCommand,
} from './script.js';
import { formatLoc, Loc } from './source.js';
import { malformedInSpec, SpecVersion } from './spec-version.js';
import { SPECTEST_EXTRA_TEXTS, SPECTEST_TEXT } from './spectest.js';
import { Value } from '../core/values.js';

export interface RunOptions {
  /** A mismatch between the expected and the engine's error message fails the assertion. */
  strictMessages?: boolean;
  /** Runs only the assertion at this line, with the module, register and action commands before it. */
  line?: number;
  /** Told before each directive runs: what a crashed worker reports as the last directive it reached. */
  onDirective?: (line: number, directive: string) => void;
  /**
   * Told of each assertion's outcome and each failed command as it is recorded (`listed`: its entry in the
   * file's results, absent for a plain pass): what a crashed worker had reached survives it.
   */
  onRecord?: (r: RecordedOutcome) => void;
  /**
   * Feature tags: those of the script (from its path), those a module's bytes use; with `select`,
   * an assertion needing a feature outside it is skipped, not run.
   */
  features?: {
    ofFile: ReadonlySet<string>;
    ofModule: (bytes: Uint8Array) => ReadonlySet<string>;
    /** those of the proposal whose folder holds the script: a module it refuses needs them too */
    ofProposal?: ReadonlySet<string>;
    select?: ReadonlySet<string>;
    /** Whether a feature is part of this version of the spec (2.0's features are 3.0's too). */
    inSpec?: (feature: string, spec: SpecVersion) => boolean;
  };
  /** The spec whose text rules apply to assert_malformed texts; none: 3.0. */
  spec?: SpecVersion;
}

export interface RecordedOutcome {
  assertion: boolean;
  outcome: Outcome;
  messageMatched: boolean; // a passed assertion whose message was compared and matched
  listed?: DirectiveResult;
}

/**
 * Why something could not be made: everything that depends on it is blocked, not failed — or
 * unsupported, when what stopped it is a feature the engine lacks.
 */
interface Blocked {
  blocked: true;
  reason: string;
  unsupported?: boolean;
}

/** The verdict of a directive that depends on something blocked. */
function blockedBy(b: Blocked): Verdict {
  return { outcome: b.unsupported ? 'unsupported' : 'blocked', detail: b.reason };
}
type Slot<T> = T | Blocked;

function isBlocked<T>(s: Slot<T> | undefined): s is Blocked {
  return typeof s === 'object' && s !== null && (s as Blocked).blocked === true;
}

/** A directive's verdict before it is placed at its line. */
type Verdict = Pick<DirectiveResult, 'outcome' | 'detail' | 'expected' | 'actual' | 'expectedMessage' | 'actualMessage'>;

class Abort {
  constructor(readonly verdict: Verdict) {}
}

const MAX_SOURCE = 400;

/** How many of the latest instances (and modules) a script keeps for freeing at its end. */
const REMEMBERED = 256;

function remember<T>(list: T[], x: T): void {
  list.push(x);
  if (list.length > REMEMBERED) list.shift();
}

/** What a module text or binary became: bytes, or the verdict that stops its directive. */
type Made<T> = { ok: true; value: T } | { ok: false; verdict: Verdict };

export class ScriptContext {
  private readonly instances = new Map<string, Slot<EngineInstance>>();
  // The latest instances and modules, freed at the file's end without waiting for the collector.
  // Only the latest: holding all of a file with 20,000 modules would keep every one alive, where
  // the engine's collector can free those the script no longer reaches.
  private readonly made: EngineInstance[] = [];
  private readonly madeModules: EngineModule[] = [];
  /** Every compiled module by name, plain modules included: any can be instantiated again. */
  private readonly definitions = new Map<string, Slot<EngineModule>>();
  private lastDefinition: Slot<EngineModule> | undefined;
  private current: Slot<EngineInstance> | undefined;
  private readonly registry = new Map<string, Slot<EngineInstance>>();
  readonly results: DirectiveResult[] = [];
  readonly tally: Tally = emptyTally();
  private readonly assembled = new WeakMap<ModuleCommand, Made<Uint8Array>>();
  private readonly moduleFeatures = new WeakMap<object, ReadonlySet<string>>();

  constructor(
    readonly engine: Engine,
    readonly assembler: Assembler,
    readonly options: RunOptions,
    readonly file: string,
  ) {}

  /** Registers the spectest host module, made from text like any other module. */
  setUpSpectest(): void {
    let base: EngineInstance;
    try {
      base = this.instantiateText(SPECTEST_TEXT);
    } catch (err) {
      // An engine that cannot make it: whatever imports from spectest is blocked, the rest still runs.
      const why = err instanceof EngineError ? `${err.kind}: ${err.message}` : errorText(err);
      this.registry.set('spectest', { blocked: true, reason: `spectest could not be made (${why})` });
      return;
    }
    const extras = SPECTEST_EXTRA_TEXTS.map((t) => {
      try {
        return this.instantiateText(t);
      } catch {
        return undefined; // a feature (e.g. table64) the engine lacks: its imports stay unresolved
      }
    }).filter((i): i is EngineInstance => i !== undefined);
    this.registry.set('spectest', extras.length ? mergeInstances([base, ...extras]) : base);
  }

  private instantiateText(text: string): EngineInstance {
    const module = this.engine.compile(this.assembler.assemble(text, 'spectest.wat'));
    const instance = this.engine.instantiate(module, () => undefined);
    remember(this.made, instance);
    return instance;
  }

  // ---- running -------------------------------------------------------------------------

  /** Every assertion reported, nothing run: for a script needing what the engine lacks, or what was not selected. */
  skipAll(commands: Command[], why: string, outcome: 'unsupported' | 'skipped' = 'unsupported'): void {
    for (const c of commands) {
      if (isAssertion(c)) this.record(c.loc, c.kind, true, { outcome, detail: why }, c.sourceText, this.options.features?.ofFile);
      else if (c.kind === 'thread') this.skipAll(c.commands, why, outcome);
    }
  }

  /**
   * With --features, a script runs whole or not at all: skipping single directives would break the
   * state (grown tables, written memory) that later ones depend on. Its features are its path's and
   * those of every module in it that must compile.
   */
  private unselectedFeatures(commands: Command[]): string[] {
    const f = this.options.features;
    if (!f?.select) return [];
    const needed = new Set(f.ofFile);
    const visit = (cs: Command[]) => {
      for (const c of cs) {
        // Modules that must compile; those of assert_malformed and assert_invalid are meant to be refused.
        const m =
          c.kind === 'module' ? c
          : (c.kind === 'assert_unlinkable' || c.kind === 'assert_uninstantiable') && c.module.kind === 'module' ? c.module
          : c.kind === 'assert_trap' && c.target.kind === 'module' ? c.target
          : undefined;
        if (m) {
          const bytes = this.bytesOf(m);
          if (bytes.ok) for (const x of f.ofModule(bytes.value)) needed.add(x);
        }
        if (c.kind === 'thread') visit(c.commands);
      }
    };
    visit(commands);
    return [...needed].filter((x) => !f.select!.has(x));
  }

  run(commands: Command[]): void {
    const notSelected = this.unselectedFeatures(commands);
    if (notSelected.length) return this.skipAll(commands, `needs ${notSelected.join(', ')}, not selected (--features)`, 'skipped');
    const only = this.options.line;
    for (const c of commands) {
      if (only !== undefined) {
        if (c.loc.line > only) break;
        if ((isAssertion(c) || c.kind === 'bad') && c.loc.line !== only) continue;
      }
      this.options.onDirective?.(c.loc.line, c.kind);
      this.command(c);
    }
  }

  private command(c: Command): void {
    if (c.kind === 'bad') {
      this.record(c.loc, 'directive', c.isAssertion, { outcome: 'failed', detail: `syntax error: ${c.message}` }, c.sourceText);
      return;
    }
    if (isAssertion(c)) {
      const features = this.featuresOf(c);
      let v: Verdict;
      try {
        v = this.assertion(c);
      } catch (err) {
        v = err instanceof Abort ? err.verdict : { outcome: 'failed', detail: `internal error: ${errorText(err)}` };
      }
      this.record(c.loc, c.kind, true, v, c.sourceText, features);
      return;
    }
    try {
      switch (c.kind) {
        case 'module':
          return this.module(c);
        case 'module_instance':
          return this.moduleInstance(c);
        case 'register':
          return this.register(c);
        case 'action':
          return this.actionCommand(c.action);
        case 'thread':
          return this.thread(c);
        case 'wait':
          return; // threads run to completion where they are declared (see thread())
      }
    } catch (err) {
      const v = err instanceof Abort ? err.verdict : { outcome: 'failed' as const, detail: `internal error: ${errorText(err)}` };
      this.record(c.loc, c.kind, false, v);
    }
  }

  private assertion(c: Exclude<Command, { kind: 'bad' }> & { kind: `assert_${string}` }): Verdict {
    switch (c.kind) {
      case 'assert_return':
        return this.assertReturn(c);
      case 'assert_trap':
        return this.assertTrap(c);
      case 'assert_exhaustion':
        return this.assertExhaustion(c);
      case 'assert_exception':
        return this.assertException(c);
      case 'assert_malformed':
        return this.assertMalformed(c);
      case 'assert_invalid':
        return this.assertInvalid(c);
      case 'assert_malformed_custom':
      case 'assert_invalid_custom':
        return this.assertCustomRejected(c);
      case 'assert_unlinkable':
        return this.assertUnlinkable(c);
      case 'assert_uninstantiable':
        return this.assertInstantiationTrap(c.module, c.message);
    }
  }

  private record(loc: Loc, directive: string, assertion: boolean, v: Verdict, source?: string, features?: ReadonlySet<string>): void {
    const t = this.tally;
    for (const f of features ?? []) {
      const c = (t.byFeature[f] ??= emptyCounts());
      c[v.outcome]++;
      c.total++;
    }
    const perDirective = (t.byDirective[directive] ??= { ...emptyCounts(), messages: { compared: 0, matched: 0 } });
    if (assertion) {
      for (const c of [t.counts, perDirective]) {
        c[v.outcome]++;
        c.total++;
      }
    } else if (v.outcome === 'failed') {
      t.commandFailures++;
    }
    let messageMatches: boolean | undefined;
    if (v.expectedMessage !== undefined && v.actualMessage !== undefined) {
      messageMatches = v.actualMessage.startsWith(v.expectedMessage);
      if (v.outcome === 'passed') {
        for (const m of [t.messages, perDirective.messages]) {
          m.compared++;
          if (messageMatches) m.matched++;
        }
      }
    }
    const interesting = v.outcome !== 'passed' || messageMatches === false;
    if (!interesting && (assertion || v.outcome === 'passed')) {
      if (assertion) this.options.onRecord?.({ assertion, outcome: v.outcome, messageMatched: messageMatches === true });
      return;
    }
    const listed: DirectiveResult = {
      line: loc.line,
      col: loc.col,
      directive,
      assertion,
      outcome: v.outcome,
      ...(v.detail !== undefined && { detail: v.detail }),
      ...(v.expected !== undefined && { expected: v.expected }),
      ...(v.actual !== undefined && { actual: v.actual }),
      ...(v.expectedMessage !== undefined && { expectedMessage: v.expectedMessage }),
      ...(v.actualMessage !== undefined && { actualMessage: v.actualMessage }),
      ...(messageMatches !== undefined && { messageMatches }),
      // The directive's text for what needs reading (failures, the assembler's cases); not for the
      // thousands of blocked or unsupported ones, which would only weigh down the results.
      ...(source !== undefined && (v.outcome === 'failed' || v.outcome === 'assembler') && { source: source.length > MAX_SOURCE ? source.slice(0, MAX_SOURCE) + '…' : source }),
    };
    this.results.push(listed);
    this.options.onRecord?.({ assertion, outcome: v.outcome, messageMatched: false, listed });
  }

  // ---- features ------------------------------------------------------------------------

  /** What an assertion needs: its script's tags, and those of the module it makes or acts on. */
  private featuresOf(c: Exclude<Command, { kind: 'bad' }> & { kind: `assert_${string}` }): ReadonlySet<string> {
    const f = this.options.features;
    if (!f) return new Set();
    let module: ReadonlySet<string> | undefined;
    const target = 'module' in c ? c.module : c.kind === 'assert_trap' ? c.target : undefined;
    if (target?.kind === 'module') {
      const bytes = this.bytesOf(target);
      if (bytes.ok) module = f.ofModule(bytes.value);
    } else if (target?.kind === 'module_instance') {
      const def = target.moduleId ? this.definitions.get(target.moduleId) : this.lastDefinition;
      module = def && this.moduleFeatures.get(def as object);
    } else {
      const action = 'action' in c ? c.action : c.kind === 'assert_trap' ? (c.target as Action) : undefined;
      const instance = action ? (action.moduleId ? this.instances.get(action.moduleId) : this.current) : undefined;
      module = instance && this.moduleFeatures.get(instance as object);
    }
    return module ? new Set([...f.ofFile, ...module]) : f.ofFile;
  }

  /** Remembers the features of what was made from these bytes (a compiled module, an instance). */
  private tagWith(made: object, bytes: Uint8Array | ReadonlySet<string> | undefined): void {
    const f = this.options.features;
    if (!f || !bytes) return;
    this.moduleFeatures.set(made, bytes instanceof Uint8Array ? f.ofModule(bytes) : bytes);
  }

  // ---- making modules ------------------------------------------------------------------

  /** Assembled once per command: feature tagging and the directive itself share the bytes. */
  private bytesOf(m: ModuleCommand): Made<Uint8Array> {
    if (m.source.kind === 'binary') return { ok: true, value: m.source.bytes };
    const known = this.assembled.get(m);
    if (known) return known;
    let made: Made<Uint8Array>;
    try {
      made = { ok: true, value: this.assembleText(m) };
    } catch (err) {
      if (!(err instanceof AssemblerError)) throw err;
      made = { ok: false, verdict: { outcome: 'assembler', detail: `the assembler could not assemble the module: ${firstLine(err.message)}` } };
    }
    this.assembled.set(m, made);
    return made;
  }

  /**
   * A module as written is padded to its place, so the assembler's positions are the script's; the
   * text of a `(module quote …)` is its strings joined, so positions in it are named after the quote.
   */
  private assembleText(m: ModuleCommand): Uint8Array {
    const { kind, text } = m.source as { kind: 'text' | 'quote'; text: string };
    return this.assembler.assemble(text, kind === 'quote' ? `${formatLoc(m.loc)}: (module quote …)` : this.file);
  }

  private compile(bytes: Uint8Array): Made<EngineModule> {
    try {
      const module = this.engine.compile(bytes, { spec: this.options.spec, scriptFeatures: this.options.features?.ofFile });
      remember(this.madeModules, module);
      return { ok: true, value: module };
    } catch (err) {
      return { ok: false, verdict: this.forLackedFeatures(engineFailure(err, 'compile'), bytes) };
    }
  }

  /**
   * A refusal of a module that uses features the engine does not claim, or of any module in the folder
   * of a proposal it does not claim (whose rules may make the module valid), is no conformance failure:
   * it is reported unsupported (the feature tags say which).
   */
  private forLackedFeatures(v: Verdict, bytes: Uint8Array): Verdict {
    const f = this.options.features;
    if (v.outcome !== 'failed' || !f) return v;
    const needed = new Set([...f.ofModule(bytes), ...(f.ofProposal ?? [])]);
    const lacked = [...needed].filter((x) => x !== 'mvp' && !this.engine.features.has(x));
    if (lacked.length === 0) return v;
    return { ...v, outcome: 'unsupported', detail: `needs ${lacked.join(', ')}, which ${this.engine.name} lacks${v.actualMessage ? `: ${v.actualMessage}` : ''}` };
  }

  /** Blocked when an import names a registered module that could not be made. */
  private blockedImport(module: EngineModule): Blocked | undefined {
    for (const imp of module.imports) {
      const r = this.registry.get(imp.module);
      if (isBlocked(r)) return { blocked: true, reason: `imports from "${imp.module}", which is blocked: ${r.reason}`, unsupported: r.unsupported };
    }
    return undefined;
  }

  private resolve = (module: string, name: string): ExternValue | undefined => {
    const r = this.registry.get(module);
    return r && !isBlocked(r) ? r.export(name) : undefined;
  };

  private instantiate(module: EngineModule): EngineInstance {
    const instance = this.engine.instantiate(module, this.resolve);
    remember(this.made, instance);
    return instance;
  }

  /** Frees every instance this context made (a file's end): engines need not wait for the collector. */
  disposeAll(): void {
    for (const i of this.made) i.dispose?.();
    for (const m of this.madeModules) m.dispose?.();
    this.made.length = 0;
    this.madeModules.length = 0;
  }

  private module(c: ModuleCommand): void {
    const fail = (v: Verdict) => {
      const reason = `module at line ${c.loc.line}: ${v.outcome}${v.detail ? ` (${firstLine(v.detail)})` : ''}`;
      const slot: Blocked = { blocked: true, reason, unsupported: v.outcome === 'unsupported' };
      this.define(c.id, slot);
      if (!c.definition) this.setCurrent(c.id, slot);
      this.record(c.loc, 'module', false, v, c.sourceText);
    };
    const bytes = this.bytesOf(c);
    if (!bytes.ok) return fail(bytes.verdict);
    const compiled = this.compile(bytes.value);
    if (!compiled.ok) return fail(compiled.verdict);
    this.tagWith(compiled.value, bytes.value);
    this.define(c.id, compiled.value);
    if (c.definition) return;
    const blocked = this.blockedImport(compiled.value);
    if (blocked) return fail(blockedBy(blocked));
    try {
      const instance = this.instantiate(compiled.value);
      this.tagWith(instance, this.moduleFeatures.get(compiled.value));
      this.setCurrent(c.id, instance);
    } catch (err) {
      fail(engineFailure(err, 'instantiate'));
    }
  }

  private define(id: string | undefined, slot: Slot<EngineModule>): void {
    this.lastDefinition = slot;
    if (id) this.definitions.set(id, slot);
  }

  /** The definition an instance is made from, or the verdict that stops the directive. */
  private definition(c: ModuleInstanceCommand): EngineModule {
    const def = c.moduleId ? this.definitions.get(c.moduleId) : this.lastDefinition;
    if (!def) throw new Abort({ outcome: 'failed', detail: `unknown module ${c.moduleId ?? '(none defined)'}` });
    if (isBlocked(def)) throw new Abort(blockedBy(def));
    const blocked = this.blockedImport(def);
    if (blocked) throw new Abort(blockedBy(blocked));
    return def;
  }

  private setCurrent(id: string | undefined, slot: Slot<EngineInstance>): void {
    this.current = slot;
    if (id) this.instances.set(id, slot);
  }

  private moduleInstance(c: ModuleInstanceCommand): void {
    let def: EngineModule;
    try {
      def = this.definition(c);
    } catch (err) {
      if (err instanceof Abort) {
        const unsupported = err.verdict.outcome === 'unsupported';
        this.setCurrent(c.instanceId, { blocked: true, reason: `instance at line ${c.loc.line}: ${err.verdict.detail}`, unsupported });
      }
      throw err;
    }
    try {
      const instance = this.instantiate(def);
      this.tagWith(instance, this.moduleFeatures.get(def));
      this.setCurrent(c.instanceId, instance);
    } catch (err) {
      const v = engineFailure(err, 'instantiate');
      this.setCurrent(c.instanceId, { blocked: true, reason: `instance at line ${c.loc.line}: ${v.detail ?? v.outcome}`, unsupported: v.outcome === 'unsupported' });
      throw new Abort(v);
    }
  }

  private register(c: RegisterCommand): void {
    const target = this.target(c.moduleId);
    this.registry.set(c.name, target);
    if (isBlocked(target)) throw new Abort(blockedBy(target));
  }

  private target(moduleId: string | undefined): Slot<EngineInstance> {
    const t = moduleId ? this.instances.get(moduleId) : this.current;
    if (t === undefined) throw new Abort({ outcome: 'failed', detail: moduleId ? `unknown module ${moduleId}` : 'no module defined' });
    return t;
  }

  private thread(c: ThreadCommand): void {
    // Threads run one after another, each to completion where it is declared: enough for the
    // suites' scripts, whose assertions accept every interleaving through `either`.
    const child = new ScriptContext(this.engine, this.assembler, this.options, this.file);
    child.setUpSpectest();
    for (const id of c.shared) {
      const inst = this.instances.get(id);
      if (inst) child.instances.set(id, inst);
    }
    child.run(c.commands);
    child.disposeAll();
    this.results.push(...child.results);
    addTally(this.tally, child.tally);
  }

  // ---- actions -------------------------------------------------------------------------

  /** Runs an action; an engine error is returned, a blocked target aborts the directive. */
  private perform(a: Action): { values: Value[] } | { error: unknown } {
    const t = this.target(a.moduleId);
    if (isBlocked(t)) throw new Abort(blockedBy(t));
    try {
      return { values: a.kind === 'invoke' ? t.invoke(a.name, a.args) : [t.getGlobal(a.name)] };
    } catch (error) {
      return { error };
    }
  }

  private actionCommand(a: Action): void {
    const r = this.perform(a);
    if ('error' in r) throw new Abort(engineFailure(r.error, a.kind));
  }

  private assertReturn(c: AssertReturn): Verdict {
    const r = this.perform(c.action);
    const expected = () => c.expected.map(describeExpected).join(', ');  // described only for reports
    if ('error' in r) return { ...engineFailure(r.error, c.action.kind), expected: expected() };
    if (resultsMatch(c.expected, r.values)) return { outcome: 'passed' };
    const actual = r.values.map((v, i) => describeValue(v, expectedShape(c.expected[i]))).join(', ');
    return { outcome: 'failed', expected: expected(), actual, detail: 'wrong result' };
  }

  /** An action must end in an engine error of one kind. */
  private expectError(a: Action, kind: 'trap' | 'exhaustion' | 'exception', message?: string): Verdict {
    const r = this.perform(a);
    if (!('error' in r)) {
      return { outcome: 'failed', detail: `expected ${kind}, returned`, expectedMessage: message, actual: r.values.map((v) => describeValue(v)).join(', ') };
    }
    return this.errorVerdict(r.error, [kind], message);
  }

  private errorVerdict(err: unknown, kinds: string[], message: string | undefined): Verdict {
    if (!(err instanceof EngineError)) return { outcome: 'failed', detail: `internal error: ${errorText(err)}`, expectedMessage: message };
    if (err.kind === 'unsupported') return { outcome: 'unsupported', detail: err.message };
    const msg = { expectedMessage: message, actualMessage: err.message };
    if (!kinds.includes(err.kind)) return { outcome: 'failed', detail: `expected ${kinds.join(' or ')}, got ${err.kind}`, ...msg };
    if (message !== undefined && this.options.strictMessages && !err.message.startsWith(message)) {
      return { outcome: 'failed', detail: 'message mismatch (--strict-messages)', ...msg };
    }
    return { outcome: 'passed', ...msg };
  }

  private assertTrap(c: AssertTrap): Verdict {
    if (c.target.kind !== 'invoke' && c.target.kind !== 'get') return this.assertInstantiationTrap(c.target, c.message);
    return this.expectError(c.target, 'trap', c.message);
  }

  private assertExhaustion(c: AssertExhaustion): Verdict {
    return this.expectError(c.action, 'exhaustion', c.message);
  }

  private assertException(c: AssertException): Verdict {
    return this.expectError(c.action, 'exception');
  }

  /** Decoding or parsing must fail. Text the assembler rejects is malformed text. */
  private assertMalformed(c: AssertModule): Verdict {
    const m = this.moduleOnly(c);
    if (m.source.kind !== 'binary') return this.expectAssemblerRejection(c, m);
    return this.expectRejection(m.source.bytes, ['malformed', 'compile'], c.message);
  }

  /**
   * Custom annotations (branch hints, names) live in custom sections, which engines ignore:
   * only the text's assembler can reject them.
   */
  private assertCustomRejected(c: AssertModule): Verdict {
    const m = this.moduleOnly(c);
    if (m.source.kind === 'binary') return { outcome: 'skipped', detail: 'custom-section checks of binaries are not run' };
    return this.expectAssemblerRejection(c, m);
  }

  /** Decoding and validation are about a module's bytes: an instance of a definition has none. */
  private moduleOnly(c: AssertModule): ModuleCommand {
    if (c.module.kind === 'module') return c.module;
    throw new Abort({ outcome: 'failed', detail: `${c.kind} needs a module, not a module instance` });
  }

  private expectAssemblerRejection(c: AssertModule, m: ModuleCommand): Verdict {
    try {
      this.assembleText(m);
    } catch (err) {
      // The assembler's own words, not compared with the spec's: they are no engine's message.
      if (err instanceof AssemblerError) return { outcome: 'passed', detail: `rejected by the assembler: ${firstLine(err.message)}` };
      throw err;
    }
    // The assembler reads 3.0's text, which is wider than 2.0's (64-bit limits and offsets).
    const spec = this.options.spec ?? '3.0';
    const specError = c.kind === 'assert_malformed' ? malformedInSpec((m.source as { text: string }).text, spec) : undefined;
    if (specError) return { outcome: 'passed', detail: `malformed Wasm ${spec} text (mitey's check, which the assembler does not make): ${specError}` };
    return { outcome: 'assembler', detail: `the assembler accepted text that the spec says is ${c.kind.includes('malformed') ? 'malformed' : 'invalid'}`, expectedMessage: c.message };
  }

  /** Validation must fail. Text the assembler rejects says nothing about the engine. */
  private assertInvalid(c: AssertModule): Verdict {
    const bytes = this.bytesOf(this.moduleOnly(c));
    if (!bytes.ok) return { ...bytes.verdict, expectedMessage: c.message };
    return this.expectRejection(bytes.value, ['invalid', 'compile'], c.message);
  }

  private expectRejection(bytes: Uint8Array, kinds: string[], message: string): Verdict {
    try {
      this.engine.compile(bytes, { spec: this.options.spec, scriptFeatures: this.options.features?.ofFile });
    } catch (err) {
      return this.forLackedFeatures(this.errorVerdict(err, kinds, message), bytes);
    }
    const later = this.laterFeatures(bytes);
    if (later.length) {
      // A 2.0 script's rejection of what a later spec made valid: an engine of that later spec (V8 14
      // has no switch to turn multi-memory or extended constants off) cannot show it, nor fail it.
      const detail = `Wasm ${this.options.spec} rejects it, but ${this.engine.name} implements ${later.join(', ')} of a later spec, where it is valid`;
      return { outcome: 'unsupported', detail, expectedMessage: message };
    }
    return { outcome: 'failed', detail: `expected ${kinds[0]} module, the engine accepted it`, expectedMessage: message };
  }

  /** Features a module uses that the script's spec version lacks and the engine has. */
  private laterFeatures(bytes: Uint8Array): string[] {
    const f = this.options.features;
    const spec = this.options.spec;
    if (!f?.inSpec || !spec) return [];
    return [...f.ofModule(bytes)].filter((x) => x !== 'mvp' && !f.inSpec!(x, spec) && this.engine.features.has(x));
  }

  /** Makes a module for an assertion about its instantiation, or aborts with why it could not. */
  private compileForInstantiation(m: ModuleCommand | ModuleInstanceCommand): EngineModule {
    if (m.kind === 'module_instance') return this.definition(m);
    const bytes = this.bytesOf(m);
    if (!bytes.ok) throw new Abort(bytes.verdict);
    const compiled = this.compile(bytes.value);
    if (!compiled.ok) throw new Abort(compiled.verdict);
    const blocked = this.blockedImport(compiled.value);
    if (blocked) throw new Abort(blockedBy(blocked));
    return compiled.value;
  }

  private assertUnlinkable(c: AssertModule): Verdict {
    const module = this.compileForInstantiation(c.module);
    try {
      this.instantiate(module);
    } catch (err) {
      return this.errorVerdict(err, ['unlinkable'], c.message);
    }
    return { outcome: 'failed', detail: 'expected unlinkable, the module instantiated', expectedMessage: c.message };
  }

  private assertInstantiationTrap(m: ModuleCommand | ModuleInstanceCommand, message: string): Verdict {
    const module = this.compileForInstantiation(m);
    try {
      this.instantiate(module);
    } catch (err) {
      return this.errorVerdict(err, ['trap'], message);
    }
    return { outcome: 'failed', detail: 'expected a trap during instantiation, the module instantiated', expectedMessage: message };
  }
}

/** An engine's refusal as the verdict of a directive that expected success. */
function engineFailure(err: unknown, what: string): Verdict {
  if (err instanceof EngineError) {
    if (err.kind === 'unsupported' || err.featureLimit) return { outcome: 'unsupported', detail: err.message };
    return { outcome: 'failed', detail: `${what} failed: ${err.kind}`, actualMessage: err.message };
  }
  return { outcome: 'failed', detail: `internal error in ${what}: ${errorText(err)}` };
}

function mergeInstances(parts: EngineInstance[]): EngineInstance {
  const owner = (name: string) => parts.find((p) => p.export(name) !== undefined) ?? parts[0];
  return {
    exportNames: () => parts.flatMap((p) => p.exportNames()),
    export: (name) => owner(name).export(name),
    invoke: (name, args) => owner(name).invoke(name, args),
    getGlobal: (name) => owner(name).getGlobal(name),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return line.length > 300 ? line.slice(0, 300) + '…' : line;
}

export interface ScriptRun {
  engine: Engine;
  assembler: Assembler;
  options?: RunOptions;
}

/** Runs one parsed script to completion and gathers its file result. */
export function runScript(script: Script, run: ScriptRun): FileResult {
  const started = performance.now();
  const ctx = new ScriptContext(run.engine, run.assembler, run.options ?? {}, script.file);
  let status: FileResult['status'] = 'ok';
  let error: string | undefined;
  const missing = script.features.filter((f) => !run.engine.features.has(f));
  try {
    if (missing.length) ctx.skipAll(script.commands, `the engine lacks ${missing.join(', ')}, which the script declares it needs`);
    else {
      ctx.setUpSpectest();
      ctx.run(script.commands);
    }
  } catch (err) {
    status = 'error';
    error = errorText(err);
  } finally {
    ctx.disposeAll();
  }
  return {
    file: script.file,
    status,
    ...(error !== undefined && { error }),
    ...ctx.tally,
    durationMs: Math.round(performance.now() - started),
    results: ctx.results,
  };
}
