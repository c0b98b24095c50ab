// The readiness report result from the server: markdown string or { markdown, score }.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { buildSync } from 'esbuild';

const here = path.dirname(new URL(import.meta.url).pathname);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-report-test-'));
buildSync({ entryPoints: [path.join(here, '../../src/report.ts')], bundle: true, platform: 'node', format: 'esm', outfile: path.join(tmp, 'report.mjs'), logLevel: 'silent' });
const { parseReport, webviewHtml, REPORT_CSP } = await import(path.join(tmp, 'report.mjs'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('an object gives its markdown and score', () => {
  assert.deepEqual(parseReport({ markdown: '# Readiness', score: 73 }), { markdown: '# Readiness', score: 73 });
});

test('a markdown string gives the score from its "Score: NN/100" line', () => {
  assert.deepEqual(parseReport('# Readiness\n\n**Score: 64/100**\n'), { markdown: '# Readiness\n\n**Score: 64/100**\n', score: 64 });
  assert.equal(parseReport('Overall score — 100 / 100').score, 100);
});

test('no score when none is stated; numbers elsewhere are not mistaken for it', () => {
  assert.equal(parseReport('# Readiness\n\n3 findings in 12 files, 2/5 categories').score, undefined);
  assert.equal(parseReport('score: 250/100').score, undefined);
});

test('anything without markdown is no report', () => {
  for (const r of [null, undefined, 42, {}, { score: 10 }, { markdown: 7 }]) assert.equal(parseReport(r), undefined);
});

test('the HTML report is kept when the server sends it', () => {
  const html = '<!DOCTYPE html><html><head><title>r</title></head><body><svg></svg></body></html>';
  assert.deepEqual(parseReport({ markdown: '# R', html, score: 5 }), { markdown: '# R', html, score: 5 });
  assert.deepEqual(parseReport({ markdown: '# R', html: '', score: 5 }), { markdown: '# R', score: 5 });
});

test('the webview page gets a CSP without scripts before anything else in its head', () => {
  const page = webviewHtml('<!DOCTYPE html><html lang="en"><head><style>b{}</style></head><body>x</body></html>');
  assert.ok(page.startsWith(`<!DOCTYPE html><html lang="en"><head>\n<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><style>`), page);
  assert.ok(!REPORT_CSP.includes('script'));
  assert.ok(webviewHtml('<p>bare</p>').includes(REPORT_CSP));
});
