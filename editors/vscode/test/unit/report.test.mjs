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
const { parseReport } = await import(path.join(tmp, 'report.mjs'));
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
