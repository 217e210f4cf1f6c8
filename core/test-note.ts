// Figures a test reports beside its assertions (counts, rates, sizes): kept out of jest's output, where each
// console.log is a block with a stack trace. They are appended to the file $MITEY_TEST_NOTES names, a line
// per note, when it is set (e.g. for a release note's figures), and go nowhere otherwise.
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';

/** Formats its arguments as console.log would. */
export function testNote(...parts: unknown[]): void {
  const file = process.env.MITEY_TEST_NOTES;
  if (!file) return;
  const text = format(...parts);
  appendFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
