// initializationOptions carry every setting of settings.schema.json, with its default.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { buildSync } from 'esbuild';
import { SCHEMA } from '../../scripts/gen-settings.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-settings-test-'));
buildSync({ entryPoints: [path.join(here, '../../src/settings.ts')], bundle: true, platform: 'node', format: 'esm', outfile: path.join(tmp, 'settings.mjs'), logLevel: 'silent' });
const { SETTING_KEYS, serverSettings } = await import(path.join(tmp, 'settings.mjs'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));

/** The value at a dotted key (`trace.server`) of the settings object. */
const at = (settings, key) => key.split('.').reduce((value, part) => value?.[part], settings);

test('every setting of the schema is sent, with the schema default when unset', () => {
  const keys = Object.keys(schema.properties).map((key) => key.replace(/^shipshape\./, ''));
  assert.deepEqual([...SETTING_KEYS].sort(), keys.sort());
  assert.equal(keys.length, 9);
  const defaults = serverSettings((_key, fallback) => fallback);
  for (const key of keys) {
    assert.deepEqual(at(defaults, key), schema.properties[`shipshape.${key}`].default, key);
  }
});

test('the values set are the values sent', () => {
  const set = {
    enable: false, path: '/x/shipshape', 'trace.server': 'verbose', rules: { 'bare-except': 'off' },
    categories: { security: false }, exclude: ['vendor/**'], perPathIgnores: { 'tests/**': ['bare-except'] },
    scope: 'openFiles', configurationPreference: 'editorOnly',
  };
  const sent = serverSettings((key, fallback) => (key in set ? set[key] : fallback));
  for (const key of SETTING_KEYS) assert.deepEqual(at(sent, key), set[key], key);
});
