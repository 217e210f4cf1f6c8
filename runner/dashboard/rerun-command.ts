// The commands the dashboard offers to rerun one directive, or one file, on one engine. Engine names are any
// string (`cmd:node driver.js`), so they are quoted for the shell when they are more than one plain word.

/** A word for a POSIX shell: as is when plain, else in single quotes. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Reruns the directive at `line` of `file` (the path the run recorded) on `engine`. */
export function defaultRerun(file: string, line: number, engine: string): string {
  return `npx mitey wast ${JSON.stringify(file)} --line ${line} --engine ${shellWord(engine)}`;
}

/** Reruns a whole file on `engine`. */
export function fileRerun(file: string, engine: string): string {
  return `npx mitey wast ${JSON.stringify(file)} --engine ${shellWord(engine)}`;
}
