// The result of the server's `shipshape.report` command: a markdown string, or
// `{ markdown, html?, score? }`. The score is taken from `score`, else from the markdown's
// "score ... NN/100" line; `html` is the standalone HTML report (score gauge, category bars)
// the report panel shows. No `vscode` import: unit-tested under node.
export type Report = { markdown: string; html?: string; score?: number };

export function parseReport(result: unknown): Report | undefined {
  let markdown: string | undefined;
  let html: string | undefined;
  let score: number | undefined;
  if (typeof result === 'string') {
    markdown = result;
  } else if (result && typeof result === 'object') {
    const r = result as Record<string, unknown>;
    if (typeof r.markdown === 'string') markdown = r.markdown;
    if (typeof r.html === 'string' && r.html.length > 0) html = r.html;
    if (typeof r.score === 'number' && Number.isFinite(r.score)) score = r.score;
  }
  if (markdown === undefined) return undefined;
  if (score === undefined) {
    const m = /\bscore\b[^0-9\n]{0,24}(\d{1,3})\s*\/\s*100\b/i.exec(markdown);
    if (m && Number(m[1]) <= 100) score = Number(m[1]);
  }
  return html === undefined ? { markdown, score } : { markdown, html, score };
}

/** The Content-Security-Policy of the report webview: the page's own inline CSS and SVG, nothing
 * loaded, no scripts. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;";

/** The server's HTML report made safe for a webview: the CSP goes first in its `<head>`. */
export function webviewHtml(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`;
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}\n${meta}`);
  return `<!DOCTYPE html><html><head>${meta}</head><body>${html}</body></html>`;
}
