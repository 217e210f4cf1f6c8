// The protocol driver inside a JavaScript shell (SpiderMonkey's js102, JavaScriptCore's jsc): the JavaScript-API
// engine, driven through bit-exact wrapper modules like the V8 engines, served over stdin/stdout.
// Run as a module: `js102 -m js-shell-driver.js`, `jsc -m js-shell-driver.js`. Lines in with the shell's `readline`,
// out with `print` (both flush a line at a time).
import './shell-text-codec.js'; // before anything that reads or writes names
import { JsApiEngine } from '../js-api-engine.js';
import { EngineServer } from '../protocol/server.js';

declare const readline: () => string | null;
declare const print: (s: string) => void;
declare const scriptArgs: string[] | undefined;

// Which shell runs this: SpiderMonkey's has scriptArgs, JavaScriptCore's does not.
const dialect = typeof scriptArgs !== 'undefined' ? 'spidermonkey' : 'jsc';
const name = dialect === 'spidermonkey' ? 'SpiderMonkey' : 'JavaScriptCore';
const engine = new JsApiEngine(name, 'shell', dialect);
new EngineServer(engine, { name, version: 'shell', dialect }).serve({ readLine: () => readline(), writeLine: (l) => print(l) });
