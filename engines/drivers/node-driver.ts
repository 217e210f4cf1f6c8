// The protocol driver for the engines of this project (`node node-driver.js jit|v8-node|v8`): any of them served
// over stdin/stdout, for the protocol's own tests and for measuring what the protocol costs against in-process.
import { createEngine } from '../create-engine.js';
import { EngineServer } from '../protocol/server.js';
import { FdLineReader, writeLineTo } from '../protocol/fd-lines.js';

const name = process.argv[2] ?? 'v8-node';
const engine = createEngine(name);
const stdin = new FdLineReader(0);

new EngineServer(engine, { name: engine.name, version: engine.version, dialect: engine.dialect ?? engine.name }).serve({ readLine: () => stdin.readLine(), writeLine: (l) => writeLineTo(1, l) });
