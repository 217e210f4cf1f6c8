// The reporters on real runs of the CLI: the results JSON against results.schema.json (ajv), the JUnit XML against
// junit.xsd (xmllint, from Debian's libxml2-utils: required, a missing xmllint fails these tests), and the Markdown.
import { afterAll, describe, expect, test } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCounts, FileResult, OUTCOMES, summaryTriple } from '../../wast/results.js';
import { runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { RunResult } from '../run-result.js';
import { escapeAttr, escapeText, toJUnit, xmlSafe } from './junit.js';
import { toMarkdown } from './markdown.js';

const HERE = join(PACKAGE_ROOT, 'runner', 'reporters');
const XSD = join(HERE, 'junit.xsd');
const GOOD = join(PACKAGE_ROOT, 'fixtures', 'wast');
const FAILING = join(PACKAGE_ROOT, 'fixtures', 'failing');

const failingRun = runCli(['wast', FAILING], true);
const goodRun = runCli(['wast', GOOD], true);
const failing = failingRun.json!;
const good = goodRun.json!;

const tmp = mkdtempSync(join(tmpdir(), 'mitey-reporters-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ---- xmllint -------------------------------------------------------------------------------

let xmlFiles = 0;
function writeXml(xml: string): string {
  const path = join(tmp, `report-${xmlFiles++}.xml`);
  writeFileSync(path, xml, 'utf8');
  return path;
}

function xmllint(args: string[], env = process.env): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('xmllint', args, { encoding: 'utf8', maxBuffer: 64 << 20, env });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'xmllint is not installed: the JUnit XML cannot be validated against junit.xsd. Install it with `apt-get install -y libxml2-utils` (Debian/Ubuntu).'
        : `xmllint could not run: ${r.error.message}`,
    );
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Validates with `xmllint --noout --schema junit.xsd`; throws with xmllint's messages when the XML is not valid. */
function validateJUnit(xml: string): void {
  const file = writeXml(xml);
  const r = xmllint(['--noout', '--schema', XSD, file]);
  if (r.status !== 0) throw new Error(`xmllint rejects ${file} (status ${r.status}):\n${r.stderr.slice(0, 4000)}`);
}

/** The string value of an XPath expression over the XML, as a conforming parser reads it. */
function xpath(file: string, expr: string): string {
  const r = xmllint(['--xpath', expr, file]);
  if (r.status !== 0) throw new Error(`xmllint --xpath '${expr}' failed (status ${r.status}): ${r.stderr}`);
  return r.stdout.replace(/\n$/, '');
}

/** An XPath string literal for any text (concat of pieces when it holds both kinds of quote). */
function lit(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  return `concat(${s
    .split("'")
    .map((p) => `'${p}'`)
    .join(`, "'", `)})`;
}

// ---- a hostile run, built by hand ------------------------------------------------------------

const HOSTILE = `<&"'\u0001\ud800]]>`;
/** HOSTILE as the reporters write it: the characters XML (and a comment) cannot hold as visible escapes. */
const VISIBLE = `<&"'\\u0001\\ud800]]>`;

function fileResult(file: string, over: Partial<FileResult>): FileResult {
  return {
    file,
    status: 'ok',
    counts: emptyCounts(),
    byDirective: {},
    byFeature: {},
    commandFailures: 0,
    messages: { compared: 0, matched: 0 },
    durationMs: 5,
    results: [],
    ...over,
  };
}

function hostileRun(): RunResult {
  const name = `dir/${HOSTILE}\u{1F600}.wast`;
  const counts = { ...emptyCounts(), passed: 3, failed: 1, blocked: 1, unsupported: 1, total: 6 };
  const ok = fileResult(name, {
    counts,
    byDirective: { [`assert_${HOSTILE}`]: { ...counts, messages: { compared: 1, matched: 0 } } },
    commandFailures: 1,
    messages: { compared: 1, matched: 0 },
    results: [
      {
        line: 3,
        col: 1,
        directive: `assert_${HOSTILE}`,
        assertion: true,
        outcome: 'failed',
        detail: `wrong | result ${HOSTILE}\ttab\r\nnew line \uFFFE \u0000`,
        expected: 'i32.const 1 | `two`',
        actual: `i32.const ${HOSTILE} |`,
        expectedMessage: `msg ${HOSTILE}`,
        actualMessage: `other | ${HOSTILE}`,
        messageMatches: false,
        source: `(assert_return (invoke "${HOSTILE}") (i32.const 1)) ;; ]]> --> <!-- `,
      },
      { line: 4, col: 2, directive: 'assert_return', assertion: true, outcome: 'blocked', detail: `module at line 1: ${HOSTILE}` },
      { line: 5, col: 2, directive: 'assert_return', assertion: true, outcome: 'unsupported', detail: `needs ${HOSTILE}` },
      { line: 6, col: 1, directive: 'module', assertion: false, outcome: 'failed', detail: `compile failed | ${HOSTILE}` },
      { line: 7, col: 1, directive: 'assert_trap', assertion: true, outcome: 'passed', expectedMessage: 'a', actualMessage: 'b', messageMatches: false },
    ],
  });
  const crashed = fileResult(`crash ${HOSTILE}.wast`, { status: 'crashed', error: `the worker crashed | ${HOSTILE}` });
  const totals = totalsOf(ok);
  return {
    schema: 'mitey-results',
    version: 1,
    engine: { name: `jit ${HOSTILE}`, version: `0.1 ${HOSTILE}`, features: ['simd'] },
    startedAt: '2026-11-25T01:00:00.000Z',
    durationMs: 1234,
    totals: { ...totals, filesNotOk: 1 },
    files: [ok, crashed],
  };
}

function totalsOf(f: FileResult): Omit<RunResult['totals'], 'filesNotOk'> {
  return { ...f.counts, byDirective: f.byDirective, byFeature: f.byFeature, commandFailures: f.commandFailures, messages: f.messages };
}

// ---- the runs themselves ---------------------------------------------------------------------

describe('the CLI runs the reporters are tested on', () => {
  test('fixtures/failing has failures, blocked and assembler outcomes, command failures and a file with status error', () => {
    expect(failingRun.status).toBe(1);
    const t = failing.totals;
    expect(t.failed).toBeGreaterThan(0);
    expect(t.blocked).toBeGreaterThan(0);
    expect(t.assembler).toBeGreaterThan(0);
    expect(t.commandFailures).toBeGreaterThan(0);
    expect(failing.files.filter((f) => f.status === 'error')).toHaveLength(1);
    expect(failing.files.some((f) => f.results.some((d) => d.detail?.startsWith('syntax error')))).toBe(true);
  });

  test('fixtures/wast passes everything', () => {
    expect(goodRun.status).toBe(0);
    expect(good.totals.passed).toBe(good.totals.total);
    expect(good.totals.total).toBeGreaterThan(100);
  });

  test.each([
    ['failing', () => failing],
    ['good', () => good],
  ])('%s: each file lists exactly its non-passed assertions and failed commands, which the reporters rely on', (_, run) => {
    for (const f of run().files) {
      const nonPasses = f.results.filter((d) => d.assertion && d.outcome !== 'passed');
      for (const o of OUTCOMES.filter((o) => o !== 'passed')) expect([f.file, o, nonPasses.filter((d) => d.outcome === o).length]).toEqual([f.file, o, f.counts[o]]);
      expect(OUTCOMES.reduce((n, o) => n + f.counts[o], 0)).toBe(f.counts.total);
      expect(f.results.filter((d) => !d.assertion && d.outcome === 'failed').length).toBe(f.commandFailures);
    }
  });
});

// ---- results.schema.json -----------------------------------------------------------------------

describe('results.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(HERE, 'results.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const validate = ajv.compile(schema);
  const errors = (doc: unknown): string => (validate(doc) ? '' : ajv.errorsText(validate.errors, { separator: '\n' }));

  test('the run of fixtures/failing is valid', () => expect(errors(failing)).toBe(''));
  test('the run of fixtures/wast is valid', () => expect(errors(good)).toBe(''));
  test('the hand-built hostile run is valid', () => expect(errors(hostileRun())).toBe(''));

  // Each breaks a copy of a valid document (typed `any`: the breakage is the point).
  const broken: [string, (r: any) => void][] = [
    ['version 2', (r) => (r.version = 2)],
    ['another schema name', (r) => (r.schema = 'other')],
    ['a property the format does not have', (r) => (r.extra = 1)],
    ['no totals', (r) => delete r.totals],
    ['an unknown outcome', (r) => (r.files[0].results[0].outcome = 'crashed')],
    ['an unknown status', (r) => (r.files[0].status = 'passed')],
    ['an extra field in a result', (r) => (r.files[0].results[0].note = 'x')],
    ['an extra field in counts', (r) => (r.files[0].counts.errors = 0)],
    ['an extra field in the totals', (r) => (r.totals.errors = 0)],
    ['an extra field in a directive tally', (r) => ((Object.values(r.totals.byDirective)[0] as Record<string, unknown>).x = 0)],
    ['a count missing in the totals', (r) => delete r.totals.blocked],
    ['a negative count', (r) => (r.files[0].counts.failed = -1)],
    ['a fractional count', (r) => (r.totals.passed = 1.5)],
    ['a string line', (r) => (r.files[0].results[0].line = '4')],
    ['a file not ok without its error', (r) => delete r.files.find((f: FileResult) => f.status !== 'ok').error],
    ['an ok file with an error', (r) => (r.files[0].error = 'x')],
    ['no engine version', (r) => delete r.engine.version],
    ['a startedAt that is not a timestamp', (r) => (r.startedAt = 'yesterday')],
  ];
  test.each(broken)('rejects %s', (_, breakIt) => {
    const r = structuredClone(failing);
    expect(errors(r)).toBe('');
    breakIt(r);
    expect(errors(r)).not.toBe('');
  });
});

// ---- JUnit XML --------------------------------------------------------------------------------

describe('XML escaping', () => {
  test('characters XML 1.0 cannot hold become visible escapes; all others stay', () => {
    expect(xmlSafe('a\u0000b\u0001\u001f\t\n\r\ud800x\udfff\uFFFE\uFFFF\u{1F600}\uFFFD\u0085')).toBe(
      'a\\u0000b\\u0001\\u001f\t\n\r\\ud800x\\udfff\\ufffe\\uffff\u{1F600}\uFFFD\u0085',
    );
  });
  test('attributes and text', () => {
    expect(escapeAttr(`<&"'>\t\n\r`)).toBe('&lt;&amp;&quot;&apos;&gt;&#9;&#10;&#13;');
    expect(escapeText(`<&"'>]]>\t\n\r`)).toBe(`&lt;&amp;"'&gt;]]&gt;\t\n&#13;`);
  });
});

describe('toJUnit', () => {
  test('is valid against junit.xsd (xmllint must be installed: apt-get install -y libxml2-utils)', () => {
    validateJUnit(toJUnit(failing));
    validateJUnit(toJUnit(good));
    validateJUnit(toJUnit(hostileRun()));
  });

  test('without xmllint the validation fails, saying what to install', () => {
    expect(() => xmllint(['--version'], { ...process.env, PATH: join(tmp, 'no-such-dir') })).toThrow(/xmllint is not installed.*apt-get install -y libxml2-utils/);
  });

  test('junit.xsd rejects what we do not emit', () => {
    const xml = toJUnit(failing);
    expect(() => validateJUnit(xml.replace('<testsuite ', '<testsuite bogus="1" '))).toThrow(/bogus/);
    expect(() => validateJUnit(xml.replace(/failures="\d+"/, 'failures="-1"'))).toThrow(/failures/);
    expect(() => validateJUnit(xml.replace('type="failed"', 'type="other"'))).toThrow(/type/);
  });

  describe.each([
    ['failing', () => failing],
    ['good', () => good],
    ['hostile', hostileRun],
  ])('the %s run', (_, makeRun) => {
    const run = makeRun();
    const file = writeXml(toJUnit(run));
    const suite = (f: FileResult): string => `/testsuites/testsuite[@name=${lit(xmlSafe(f.file))}]`;

    test('the suites carry the files counts in their attributes', () => {
      expect(Number(xpath(file, 'count(/testsuites/testsuite)'))).toBe(run.files.length);
      for (const f of run.files) {
        const s = suite(f);
        const { passed, failed, skipped } = summaryTriple(f.counts);
        const errors = f.commandFailures + (f.status === 'ok' ? 0 : 1);
        const attr = (a: string): number => Number(xpath(file, `string(${s}/@${a})`));
        expect([f.file, attr('tests'), attr('failures'), attr('skipped'), attr('errors')]).toEqual([f.file, f.counts.total + errors, failed, skipped, errors]);
        // What dashboards compute as passed is the file's passed assertions.
        expect(attr('tests') - attr('failures') - attr('skipped') - attr('errors')).toBe(passed);
        expect(attr('time')).toBeCloseTo(f.durationMs / 1000, 3);
        // The testcases agree with the attributes.
        expect(Number(xpath(file, `count(${s}/testcase/failure)`))).toBe(failed);
        expect(Number(xpath(file, `count(${s}/testcase/skipped)`))).toBe(skipped);
        expect(Number(xpath(file, `count(${s}/testcase/error)`))).toBe(errors);
        const passCase = `${s}/testcase[@name='passed assertions']`;
        expect(Number(xpath(file, `count(${passCase})`))).toBe(passed > 0 ? 1 : 0);
        if (passed > 0) expect(Number(xpath(file, `string(${passCase}/properties/property[@name='passed']/@value)`))).toBe(passed);
        expect(xpath(file, `string(${s}/properties/property[@name='status']/@value)`)).toBe(f.status);
      }
    });

    test('the root carries the run totals and the engine', () => {
      const t = run.totals;
      const { failed, skipped } = summaryTriple(t);
      const errors = t.commandFailures + t.filesNotOk;
      const attr = (a: string): number => Number(xpath(file, `string(/testsuites/@${a})`));
      expect([attr('tests'), attr('failures'), attr('skipped'), attr('errors')]).toEqual([t.total + errors, failed, skipped, errors]);
      expect(xpath(file, "string(/testsuites/properties/property[@name='engine.name']/@value)")).toBe(xmlSafe(run.engine.name));
      expect(xpath(file, "string(/testsuites/properties/property[@name='engine.version']/@value)")).toBe(xmlSafe(run.engine.version));
    });

    test('every non-pass is a testcase with its message', () => {
      for (const f of run.files) {
        for (const d of f.results) {
          const c = `${suite(f)}/testcase[@name=${lit(xmlSafe(`${d.directive} line ${d.line}`))}]`;
          if (d.assertion && d.outcome === 'failed') {
            expect(xpath(file, `string(${c}/failure/@message)`)).toContain(xmlSafe(d.detail ?? d.expected ?? ''));
            expect(xpath(file, `string(${c}/@classname)`)).toBe(xmlSafe(f.file));
          } else if (d.assertion && d.outcome !== 'passed') {
            expect(xpath(file, `string(${c}/skipped/@message)`)).toContain(`${d.outcome}: `);
          } else if (!d.assertion && d.outcome === 'failed') {
            expect(xpath(file, `string(${c}/error/@type)`)).toBe('command');
          }
        }
        if (f.status !== 'ok') {
          const c = `${suite(f)}/testcase[@name='${f.status}']/error`;
          expect(xpath(file, `string(${c}/@type)`)).toBe(f.status);
          expect(xpath(file, `string(${c}/@message)`)).toBe(xmlSafe(f.error!));
        }
      }
    });
  });

  test('failure messages and details of fixtures/failing', () => {
    const file = writeXml(toJUnit(failing));
    const threads = failing.files.find((f) => f.file.endsWith('threads.wast'))!;
    const c = `/testsuites/testsuite[@name='${threads.file}']/testcase[@name='assert_return line 13']/failure`;
    expect(xpath(file, `string(${c}/@message)`)).toBe('wrong result; expected i32.const 6 (0x00000006); got i32.const 5 (0x00000005)');
    expect(xpath(file, `string(${c})`)).toContain(`${threads.file}:13:3 assert_return: failed\n`);
    const unbalanced = failing.files.find((f) => f.status === 'error')!;
    expect(xpath(file, `string(/testsuites/testsuite[@name='${unbalanced.file}']/testcase/error/@message)`)).toMatch(/unbalanced\.wast:4:1: unclosed "\("/);
  });

  test('hostile names and messages survive a conforming parser, with XML-illegal characters made visible', () => {
    const xml = toJUnit(hostileRun());
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/u);
    const file = writeXml(xml);
    const s = `/testsuites/testsuite[1]`;
    expect(xpath(file, `string(${s}/@name)`)).toBe(`dir/${VISIBLE}\u{1F600}.wast`);
    const failure = `${s}/testcase[failure]`;
    expect(xpath(file, `string(${failure}/@name)`)).toBe(`assert_${VISIBLE} line 3`);
    // Tab, CR and LF in an attribute are kept (as references), not normalised to spaces.
    expect(xpath(file, `string(${failure}/failure/@message)`)).toBe(
      `wrong | result ${VISIBLE}\ttab\r\nnew line \\ufffe \\u0000; expected i32.const 1 | \`two\`; got i32.const ${VISIBLE} |`,
    );
    expect(xpath(file, `string(${failure}/failure)`)).toContain(`source: (assert_return (invoke "${VISIBLE}") (i32.const 1)) ;; ]]> --> <!-- `);
    expect(xpath(file, `string(/testsuites/testsuite[2]/testcase/error/@message)`)).toBe(`the worker crashed | ${VISIBLE}`);
    expect(xpath(file, "string(/testsuites/properties/property[@name='engine.name']/@value)")).toBe(`jit ${VISIBLE}`);
  });
});

// ---- Markdown ---------------------------------------------------------------------------------

/** The cells of a GFM table row: split at pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** Each table of the Markdown: its header cells and rows of cells. */
function tables(md: string): { head: string[]; rows: string[][] }[] {
  const out: { head: string[]; rows: string[][] }[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|') || !lines[i + 1]?.startsWith('|')) continue;
    const head = cells(lines[i]);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].startsWith('|'); j++) rows.push(cells(lines[j]));
    out.push({ head, rows });
    i = j;
  }
  return out;
}

function tableWith(md: string, firstHead: string): { head: string[]; rows: string[][] } {
  const t = tables(md).find((t) => t.head[0] === firstHead);
  if (!t) throw new Error(`no table with "${firstHead}" in:\n${md}`);
  return t;
}

describe('toMarkdown', () => {
  const md = toMarkdown(failing);

  test('every row of every table has as many cells as its header', () => {
    for (const run of [failing, good, hostileRun()]) {
      const ts = tables(toMarkdown(run));
      expect(ts.length).toBeGreaterThan(1);
      for (const t of ts) for (const r of t.rows) expect([t.head, r.length]).toEqual([t.head, t.head.length]);
    }
  });

  test('the engine and the totals per outcome', () => {
    expect(md).toContain(`Engine \`${failing.engine.name}\` \`${failing.engine.version}\``);
    const totals = tableWith(md, 'outcome');
    const t = failing.totals;
    expect(totals.rows).toEqual([...OUTCOMES.map((o) => [o, String(t[o])]), ['**total**', `**${t.total}**`]]);
    const { passed, failed, skipped } = summaryTriple(t);
    expect(md.split('\n')[0]).toBe(`### mitey: failed — ${passed} passed, ${failed} failed, ${skipped} skipped`);
  });

  test('the per-directive table', () => {
    const byDirective = tableWith(md, 'directive');
    expect(byDirective.head).toEqual(['directive', ...OUTCOMES, 'total']);
    const ret = failing.totals.byDirective.assert_return;
    expect(byDirective.rows).toContainEqual(['`assert_return`', ...OUTCOMES.map((o) => String(ret[o])), String(ret.total)]);
    // Commands count no assertions: no rows of zeros.
    expect(byDirective.rows.map((r) => r[0])).not.toContain('`module`');
  });

  test('the files with failures, the failures and the files not ok', () => {
    const files = tableWith(md, 'file');
    const threads = failing.files.find((f) => f.file.endsWith('threads.wast'))!;
    expect(files.rows).toContainEqual([`\`${threads.file}\``, '3', '0']);
    // every failure, so threads.wast's are listed whatever the files before it fail
    const failures = tableWith(toMarkdown(failing, { maxFailures: 1000 }), 'where');
    expect(failures.rows).toContainEqual([
      `\`${threads.file}:13:3\``,
      '`assert_return`',
      'wrong result',
      '`i32.const 6 (0x00000006)`',
      '`i32.const 5 (0x00000005)`',
    ]);
    const all = failing.files.reduce((n, f) => n + f.results.filter((d) => d.outcome === 'failed').length, 0);
    expect(failures.rows).toHaveLength(all);
    expect(tableWith(md, 'where').rows).toHaveLength(20);
    expect(md).toContain(`#### Failed assertions and commands (first 20 of ${all})`);
    expect(md).toContain(`… and ${all - 20} more.`);
    const notOk = tables(md).find((t) => t.head.join() === 'file,status,error')!;
    expect(notOk.rows).toEqual([[expect.stringMatching(/unbalanced\.wast`$/), 'error', expect.stringMatching(/unbalanced\.wast:4:1: unclosed "\("`$/)]]);
  });

  test('maxFailures', () => {
    expect(tableWith(toMarkdown(failing, { maxFailures: 3 }), 'where').rows).toHaveLength(3);
    const none = toMarkdown(failing, { maxFailures: 0 });
    expect(tables(none).find((t) => t.head[0] === 'where')).toBeUndefined();
    expect(none).toMatch(/#### Failed assertions and commands \(first 0 of \d+\)\n\n… and \d+ more\./);
  });

  test('an all-pass run: no failure sections', () => {
    const g = toMarkdown(good);
    expect(g.split('\n')[0]).toBe(`### mitey: passed — ${good.totals.total} passed, 0 failed, 0 skipped`);
    expect(g).not.toContain('#### Failed');
    expect(g).not.toContain('#### Files not ok');
  });

  test('a `|` (or a backtick, or a newline) in a message does not break the table', () => {
    const h = toMarkdown(hostileRun());
    const failures = tableWith(h, 'where');
    expect(failures.rows).toHaveLength(2); // the failed assertion and the failed command
    const [where, directive, detail, expected, actual] = failures.rows[0];
    expect(where).toBe(`\`dir/${VISIBLE}\u{1F600}.wast:3:1\``);
    expect(directive).toBe(`\`assert_${VISIBLE}\``);
    expect(detail).toBe(`wrong \\| result \\<&amp;"'\\\\u0001\\\\ud800\\]\\]\\>\ttab new line \uFFFE \\\\u0000`);
    expect(expected).toBe('`` i32.const 1 \\| `two` ``');
    expect(actual).toBe(`\`i32.const ${VISIBLE} \\|\``);
    const notOk = tables(h).find((t) => t.head.join() === 'file,status,error')!;
    expect(notOk.rows[0][2]).toBe(`\`the worker crashed \\| ${VISIBLE}\``);
  });
});
