// A JS API worker process: runs the one file named on its command line on the engine named there, in a fresh
// process so that a crash, a hang or a realm left dirty stays with that file.
import { watchParent } from '../pool/parent-watch.js';
import { createJsApiEngine } from './jsapi-engine.js';
import { FromJsApiWorker } from './protocol.js';
import { runTestFile } from './run-test-file.js';

async function main(): Promise<void> {
  watchParent();
  const [engineName, file, root] = process.argv.slice(2);
  const engine = createJsApiEngine(engineName);
  const send = (m: FromJsApiWorker) => new Promise<void>((done) => process.send!(m, () => done()));
  await send({ type: 'engine', engine: { name: engine.name, version: engine.version, features: [...engine.features].sort() } });
  // A test whose promise never settles leaves nothing for the event loop: this keeps the worker alive until
  // the runner's timeout ends it, so that a hang is a timeout, not a clean exit without a result.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const result = await runTestFile(file, engine, { root: root || undefined, onSubtest: (subtest) => void send({ type: 'subtest', subtest }) });
  await send({ type: 'result', result });
  clearInterval(keepAlive);
  process.exit(0);
}

main().catch((err) => {
  console.error(`mitey jsapi worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(70);
});
