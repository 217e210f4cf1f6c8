// The script's host references (ref.extern N, ref.host N) as JS values an engine can hold: one
// frozen object per number, and the number back from the object.

export class HostRefs {
  private readonly byId = new Map<number, object>();
  private readonly ids = new WeakMap<object, number>();

  object(id: number): object {
    let o = this.byId.get(id);
    if (!o) {
      o = Object.freeze({ hostref: id });
      this.byId.set(id, o);
      this.ids.set(o, id);
    }
    return o;
  }

  id(o: unknown): number | undefined {
    return typeof o === 'object' && o !== null ? this.ids.get(o) : undefined;
  }
}
