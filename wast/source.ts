// Where a node of a .wast script came from, and the error that names it.

export interface Loc {
  file: string;
  line: number; // 1-based
  col: number; // 1-based, counted in UTF-16 code units of the line
  offset: number; // index of the first character in the file's text
}

export function formatLoc(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** A malformed script: wrong tokens, bad literals, unknown directives. */
export class WastSyntaxError extends Error {
  constructor(
    readonly loc: Loc,
    readonly detail: string,
  ) {
    super(`${formatLoc(loc)}: ${detail}`);
    this.name = 'WastSyntaxError';
  }
}
