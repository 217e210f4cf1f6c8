// Runs the differential against the AddressSanitizer+UBSan build of the addon (npm run build:asan).
// An instrumented addon inside an uninstrumented node needs the sanitizer runtimes preloaded, so the
// run happens in a child node; a sanitizer report, a signal or an odd exit status there is a crash.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { collectSeeds } from './seed-corpus.js';
import { makeCase } from './cases.js';

export const ASAN_ADDON = join(PACKAGE_ROOT, 'jit', 'asan', 'build', 'Release', 'mitey_jit_asan.node');

/** A distinct status for sanitizer reports: 1 already means "unexplained disagreement". */
const SANITIZER_EXIT = 86;

/** The shared sanitizer runtime gcc links against, as `gcc -print-file-name` finds it. */
function runtime(lib: string): string {
  let path: string;
  try {
    path = execFileSync('gcc', [`-print-file-name=${lib}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`cannot ask gcc where ${lib} is: the ASan run needs gcc (the compiler the addon was built with)`);
  }
  // gcc echoes the bare name when it does not have the library.
  if (!path.startsWith('/') || !existsSync(path)) throw new Error(`gcc has no ${lib} (install the sanitizer runtimes, e.g. libasan8 libubsan1)`);
  return path;
}

/**
 * Re-runs the validation differential (its arguments less --asan) in a child node whose addon is the ASan build.
 * Returns the exit status for the command: the child's own when it ran to its end, else 1.
 */
export async function runUnderAsan(childArgs: string[], out: string): Promise<number> {
  const addon = process.env.MITEY_JIT_ADDON ?? ASAN_ADDON;
  if (!existsSync(addon)) {
    console.error(`fuzz:validate --asan: ${addon} is missing: run "npm run build:asan" first`);
    return 2;
  }
  const preload = [runtime('libasan.so'), runtime('libubsan.so')];
  const dir = mkdtempSync(join(tmpdir(), 'mitey-fuzz-asan-'));
  const progressFile = join(dir, 'progress');
  writeFileSync(progressFile, '');
  const args = [...withOut(childArgs, out)];
  console.log(`fuzz:validate --asan: ${addon}\n  LD_PRELOAD=${preload.join(':')}`);
  const env = {
    ...process.env,
    LD_PRELOAD: [...preload, process.env.LD_PRELOAD].filter(Boolean).join(':'),
    // node frees little at exit by design: leak reports would be noise.
    ASAN_OPTIONS: `detect_leaks=0:exitcode=${SANITIZER_EXIT}`,
    UBSAN_OPTIONS: `halt_on_error=1:print_stacktrace=1:exitcode=${SANITIZER_EXIT}`,
    MITEY_JIT_ADDON: addon,
    MITEY_FUZZ_PROGRESS: progressFile,
  };
  // The differential's own script, however this run was started (`mitey fuzz --validate` or npm run fuzz:validate).
  const script = join(PACKAGE_ROOT, 'dist', 'fuzz', 'validate-differential.js');
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'inherit', 'pipe'] });
  // Echo the child's stderr while keeping it, to recognise a sanitizer report in it.
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderr += chunk.toString();
    if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
  });
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (c, s) => done({ code: c, signal: s })),
  );
  const sanitizer = /ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|UndefinedBehaviorSanitizer/.test(stderr);
  try {
    if (!sanitizer && signal === null && (code === 0 || code === 1)) return code; // the child's own verdict, summary printed
    const last = readFileSync(progressFile, 'utf8').trim();
    const what = sanitizer ? 'a sanitizer report' : signal ? `signal ${signal}` : `exit status ${code}`;
    console.error(`fuzz:validate --asan: CRASH: the child ended with ${what}${last ? `, during case ${last}` : ''}`);
    if (last) await describeCrash(childArgs, Number(last), what, `${out.replace(/\.json$/, '')}.crash.json`);
    return 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withOut(args: string[], out: string): string[] {
  const i = args.indexOf('--out');
  if (i >= 0) return args;
  return [...args, '--out', out];
}

/** Rebuilds the bytes of the case that crashed (cases are a function of seed and number) and saves them. */
async function describeCrash(childArgs: string[], caseNo: number, what: string, file: string): Promise<void> {
  const get = (flag: string, dflt: string): string => {
    const i = childArgs.indexOf(flag);
    return i >= 0 && i + 1 < childArgs.length ? childArgs[i + 1] : dflt;
  };
  const seed = Number(get('--seed', '1'));
  const suite = resolve(get('--suite', process.env.MITEY_TESTSUITE_2 ?? ''));
  const corpus = await collectSeeds(suite);
  const c = makeCase(corpus.seeds, seed, caseNo);
  const hex = Buffer.from(c.bytes).toString('hex');
  writeFileSync(file, JSON.stringify({ seed, caseNo, what, origin: c.origin, mutations: c.mutations, hex }, null, 1) + '\n');
  console.error(`  case ${caseNo} of seed ${seed} (${c.origin}, ${c.mutations.join('+')}), ${c.bytes.length} bytes: ${file}`);
}
