// The driver's side of the engine protocol, over any in-process Engine: reads a request line, answers with one
// line. The JS-shell driver serves the JavaScript-API engine with it, the Node driver any engine of this project.
// Modules, instances and references the engine made are kept here under numbers, which is all the runner sees.
import { RefValue } from '../../core/values.js';
import { Engine, EngineError, EngineInstance, EngineModule, ExternValue } from '../../wast/engine.js';
import { SpecVersion } from '../../wast/spec-version.js';
import { fromBase64, fromWire, Hello, messageLine, PROTOCOL_VERSION, Reply, Request, toBase64, toWire, WireError } from './wire.js';

export interface LineIo {
  /** The next line, or null at the end of input. */
  readLine(): string | null;
  writeLine(line: string): void;
}

class ProtocolError extends Error {}

export class EngineServer {
  private next = 1;
  private readonly modules = new Map<number, EngineModule>();
  private readonly instances = new Map<number, EngineInstance>();
  private readonly handles = new Map<number, unknown>();
  private readonly handleIds = new Map<unknown, number>();

  constructor(
    private readonly engine: Engine,
    private readonly hello: Omit<Hello, 'protocol'>,
  ) {}

  /** Answers requests until the input ends or a quit request. */
  serve(io: LineIo): void {
    for (;;) {
      const line = io.readLine();
      if (line === null || line === '') return; // JavaScriptCore's readline gives '' at the end of input
      let reply: Reply<unknown>;
      try {
        const request = JSON.parse(line) as Request;
        if (request.op === 'quit') return;
        reply = { ok: this.answer(request) };
      } catch (err) {
        reply = { error: wireError(err) };
      }
      io.writeLine(messageLine(reply));
    }
  }

  private handleOf(r: RefValue & { handle: unknown }): number {
    let n = this.handleIds.get(r.handle);
    if (n === undefined) {
      n = this.next++;
      this.handles.set(n, r.handle);
      this.handleIds.set(r.handle, n);
    }
    return n;
  }

  private handle(n: number): unknown {
    if (!this.handles.has(n)) throw new ProtocolError(`no reference handle ${n}`);
    return this.handles.get(n);
  }

  private instance(n: number): EngineInstance {
    const i = this.instances.get(n);
    if (!i) throw new ProtocolError(`no instance ${n}`);
    return i;
  }

  private answer(r: Request): unknown {
    switch (r.op) {
      case 'hello':
        if (r.protocol !== PROTOCOL_VERSION) throw new ProtocolError(`this driver speaks protocol ${PROTOCOL_VERSION}, not ${r.protocol}`);
        return { protocol: PROTOCOL_VERSION, ...this.hello } satisfies Hello;
      case 'validate':
        try {
          this.engine.compile(fromBase64(r.bytes)).dispose?.();
          return true;
        } catch (err) {
          if (err instanceof EngineError) return false;
          throw err;
        }
      case 'compile': {
        const m = this.engine.compile(fromBase64(r.bytes), {
          ...(r.spec ? { spec: r.spec as SpecVersion } : {}),
          ...(r.features ? { scriptFeatures: new Set(r.features) } : {}),
        });
        const n = this.next++;
        this.modules.set(n, m);
        return { module: n, imports: m.imports };
      }
      case 'instantiate': {
        const m = this.modules.get(r.module);
        if (!m) throw new ProtocolError(`no module ${r.module}`);
        const given = new Map<string, ExternValue | undefined>();
        for (const i of r.imports ?? []) {
          given.set(`${i.module}\0${i.name}`, i.from ? this.instance(i.from.instance).export(i.from.name) : undefined);
        }
        const inst = this.engine.instantiate(m, (module, name) => given.get(`${module}\0${name}`));
        const n = this.next++;
        this.instances.set(n, inst);
        return { instance: n, exports: inst.exportNames().map((name) => ({ name, kind: inst.export(name)?.kind ?? 'func' })) };
      }
      case 'invoke': {
        const args = (r.args ?? []).map((a) => fromWire(a, (h) => this.handle(h)));
        return this.instance(r.instance).invoke(r.name, args).map((v) => toWire(v, (x) => this.handleOf(x)));
      }
      case 'global':
        return toWire(this.instance(r.instance).getGlobal(r.name), (x) => this.handleOf(x));
      case 'memory': {
        const i = this.instance(r.instance);
        if (!i.readMemory) throw new EngineError('unsupported', `${this.hello.name} cannot read memories`);
        const { size, bytes } = i.readMemory(r.name, r.offset, r.length);
        return { size, bytes: toBase64(bytes) };
      }
      case 'table': {
        const i = this.instance(r.instance);
        if (!i.readTable) throw new EngineError('unsupported', `${this.hello.name} cannot read tables`);
        const { size, element } = i.readTable(r.name, r.index);
        return element ? { size, element: toWire(element, (x) => this.handleOf(x)) } : { size };
      }
      case 'dispose':
        if (r.instance !== undefined) this.instances.get(r.instance)?.dispose?.();
        if (r.module !== undefined) this.modules.get(r.module)?.dispose?.();
        this.instances.delete(r.instance ?? 0);
        this.modules.delete(r.module ?? 0);
        return true;
      default:
        throw new ProtocolError(`unknown op ${JSON.stringify((r as { op?: unknown }).op)}`);
    }
  }
}

function wireError(err: unknown): WireError {
  if (err instanceof EngineError) return { kind: err.kind, message: err.message, ...(err.featureLimit ? { featureLimit: true } : {}) };
  if (err instanceof ProtocolError || err instanceof SyntaxError) return { kind: 'host', message: `protocol: ${err.message}` };
  return { kind: 'host', message: err instanceof Error ? err.message : String(err) };
}
