// The runner's side of the engine protocol: an Engine whose every call is a request to a driver process
// (docs/engine-protocol.md). What the driver holds (modules, instances, references) is a number here.
// Features are probed through the driver (a probe module per feature), never taken from what it says.
// A driver that dies is started again for the next request; what the old one held is gone, and `onDriverDied`
// (the worker's: end the file as crashed) hears of it first.
import { Value } from '../../core/values.js';
import { Engine, EngineError, EngineInstance, EngineModule, ExternKind, ExternValue, ImportDesc, ImportResolver, CompileOptions } from '../../wast/engine.js';
import { probeFeatures } from '../feature-probes.js';
import { DriverDiedError, DriverProcess } from './driver-process.js';
import { CompiledReply, fromBase64, fromWire, Hello, InstantiatedReply, messageLine, MemoryReply, PROTOCOL_VERSION, Reply, Request, TableReply, toBase64, toWire, WireValue } from './wire.js';

/** A reference the driver holds. */
class DriverHandle {
  constructor(
    readonly owner: ProtocolEngine,
    readonly n: number,
  ) {}
}

/** An export of a driver-side instance, as an import's value. */
class DriverExtern {
  constructor(
    readonly owner: ProtocolEngine,
    readonly instance: number,
    readonly name: string,
  ) {}
}

class ProtocolModule implements EngineModule {
  constructor(
    readonly engine: ProtocolEngine,
    readonly id: number,
    readonly imports: ImportDesc[],
    readonly generation: number,
  ) {}

  dispose(): void {
    this.engine.dispose({ module: this.id }, this.generation);
  }
}

class ProtocolInstance implements EngineInstance {
  private readonly exports: Map<string, ExternKind>;

  constructor(
    private readonly engine: ProtocolEngine,
    readonly id: number,
    exports: { name: string; kind: ExternKind }[],
    private readonly generation: number,
  ) {
    this.exports = new Map(exports.map((e) => [e.name, e.kind]));
  }

  exportNames(): string[] {
    return [...this.exports.keys()];
  }

  export(name: string): ExternValue | undefined {
    const kind = this.exports.get(name);
    return kind === undefined ? undefined : { kind, handle: new DriverExtern(this.engine, this.id, name) };
  }

  invoke(name: string, args: Value[]): Value[] {
    const wire = args.map((a) => this.engine.toWire(a));
    return this.engine.request<WireValue[]>({ op: 'invoke', instance: this.id, name, args: wire }).map((v) => this.engine.fromWire(v));
  }

  getGlobal(name: string): Value {
    return this.engine.fromWire(this.engine.request<WireValue>({ op: 'global', instance: this.id, name }));
  }

  readMemory(name: string, offset: number, length: number): { size: number; bytes: Uint8Array } {
    const r = this.engine.request<MemoryReply>({ op: 'memory', instance: this.id, name, offset, length });
    return { size: r.size, bytes: fromBase64(r.bytes) };
  }

  readTable(name: string, index: number): { size: number; element?: Value } {
    const r = this.engine.request<TableReply>({ op: 'table', instance: this.id, name, index });
    return r.element ? { size: r.size, element: this.engine.fromWire(r.element) } : { size: r.size };
  }

  dispose(): void {
    this.engine.dispose({ instance: this.id }, this.generation);
  }
}

export interface ProtocolEngineOptions {
  /** The engine's version as the runner knows it (a package's); default: the driver's hello. */
  version?: string;
  /** Called when the driver dies, before the request fails (a worker ends its file there). */
  onDriverDied?: (message: string) => void;
}

const live = new Set<DriverProcess>();
let exitHook = false;

export class ProtocolEngine implements Engine {
  readonly version: string;
  readonly dialect: string;
  readonly features: ReadonlySet<string>;
  private driver: DriverProcess;
  /** Which driver process this is (counting restarts): what an earlier one held is not asked of a later one. */
  private generation = 0;

  constructor(
    readonly name: string,
    readonly argv: readonly string[],
    private readonly options: ProtocolEngineOptions = {},
  ) {
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => live.forEach((d) => d.close()));
    }
    this.driver = this.start();
    const hello = this.request<Hello>({ op: 'hello', protocol: PROTOCOL_VERSION });
    this.version = options.version ?? `${hello.name} ${hello.version}`;
    this.dialect = hello.dialect;
    this.features = probeFeatures((bytes) => this.request<boolean>({ op: 'validate', bytes: toBase64(bytes) }) === true);
  }

  private start(): DriverProcess {
    const d = new DriverProcess(this.argv);
    live.add(d);
    return d;
  }

  /** One request and its reply; an error reply is thrown as the EngineError it names. */
  request<T>(r: Request): T {
    let line: string;
    try {
      this.driver.writeLine(messageLine(r));
      line = this.driver.readLine();
    } catch (err) {
      if (!(err instanceof DriverDiedError)) throw err;
      this.driver.close();
      live.delete(this.driver);
      this.options.onDriverDied?.(err.message);
      this.driver = this.start();
      this.generation++;
      if (r.op !== 'hello') this.request({ op: 'hello', protocol: PROTOCOL_VERSION });
      throw err;
    }
    let reply: Reply<T>;
    try {
      reply = JSON.parse(line) as Reply<T>;
    } catch {
      throw new EngineError('host', `protocol: the driver answered ${JSON.stringify(line.slice(0, 200))}, not a JSON reply`);
    }
    if ('error' in reply && reply.error) throw new EngineError(reply.error.kind, reply.error.message, reply.error.featureLimit === true);
    if (!('ok' in reply)) throw new EngineError('host', `protocol: a reply without "ok" or "error": ${line.slice(0, 200)}`);
    return reply.ok;
  }

  dispose(what: { module?: number; instance?: number }, generation: number): void {
    if (generation === this.generation) this.request({ op: 'dispose', ...what });
  }

  toWire(v: Value): WireValue {
    return toWire(v, (r) => {
      if (r.handle instanceof DriverHandle && r.handle.owner === this) return r.handle.n;
      throw new EngineError('host', `a reference ${this.name} did not make cannot be passed to it`);
    });
  }

  fromWire(w: WireValue): Value {
    try {
      return fromWire(w, (n) => new DriverHandle(this, n));
    } catch (err) {
      throw new EngineError('host', `protocol: ${(err as Error).message}`);
    }
  }

  compile(bytes: Uint8Array, options: CompileOptions = {}): EngineModule {
    const r = this.request<CompiledReply>({
      op: 'compile',
      bytes: toBase64(bytes),
      ...(options.spec ? { spec: options.spec } : {}),
      ...(options.scriptFeatures ? { features: [...options.scriptFeatures] } : {}),
    });
    return new ProtocolModule(this, r.module, r.imports, this.generation);
  }

  instantiate(module: EngineModule, resolve: ImportResolver): EngineInstance {
    const m = module as ProtocolModule;
    const imports = m.imports.map((d) => {
      const v = resolve(d.module, d.name);
      if (v === undefined) return { module: d.module, name: d.name };
      if (!(v.handle instanceof DriverExtern) || v.handle.owner !== this) throw new EngineError('unlinkable', `import ${d.module}.${d.name} is not an export of ${this.name}`);
      return { module: d.module, name: d.name, from: { instance: v.handle.instance, name: v.handle.name } };
    });
    const r = this.request<InstantiatedReply>({ op: 'instantiate', module: m.id, imports });
    return new ProtocolInstance(this, r.instance, r.exports, this.generation);
  }
}
