// The result of the server's `shipshape.report` command: a markdown string, or
// `{ markdown, score? }`. The score is taken from `score`, else from the markdown's
// "score ... NN/100" line. No `vscode` import: unit-tested under node.
export type Report = { markdown: string; score?: number };

export function parseReport(result: unknown): Report | undefined {
  let markdown: string | undefined;
  let score: number | undefined;
  if (typeof result === 'string') {
    markdown = result;
  } else if (result && typeof result === 'object') {
    const r = result as Record<string, unknown>;
    if (typeof r.markdown === 'string') markdown = r.markdown;
    if (typeof r.score === 'number' && Number.isFinite(r.score)) score = r.score;
  }
  if (markdown === undefined) return undefined;
  if (score === undefined) {
    const m = /\bscore\b[^0-9\n]{0,24}(\d{1,3})\s*\/\s*100\b/i.exec(markdown);
    if (m && Number(m[1]) <= 100) score = Number(m[1]);
  }
  return { markdown, score };
}
