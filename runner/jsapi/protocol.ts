// Messages of a JS API worker: one file per process, its subtests as they end, then the file's result.
import { FileResult } from '../../wast/results.js';
import { EngineIdentity } from '../pool/protocol.js';
import { Subtest } from './subtest-results.js';

export type FromJsApiWorker =
  | { type: 'engine'; engine: EngineIdentity }
  | { type: 'subtest'; subtest: Subtest }
  | { type: 'result'; result: FileResult };
