// The settings in package.json are generated from ../../settings.schema.json (the one source the
// server's settings type is checked against) and cover every rule of the catalog.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { CATALOG, EXT, SCHEMA, SEVERITIES, catalogRules, configuration } from '../../scripts/gen-settings.mjs';

const pkg = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));

test('package.json contributes.configuration is generated from settings.schema.json', () => {
  assert.deepEqual(pkg.contributes.configuration, configuration());
});

test('the settings the server reads, with their types and defaults', () => {
  const p = schema.properties;
  assert.deepEqual(Object.keys(p).sort(), [
    'shipshape.categories', 'shipshape.configurationPreference', 'shipshape.enable', 'shipshape.exclude',
    'shipshape.path', 'shipshape.perPathIgnores', 'shipshape.rules', 'shipshape.scope', 'shipshape.trace.server',
  ]);
  assert.deepEqual(p['shipshape.scope'].enum, ['workspace', 'openFiles']);
  assert.equal(p['shipshape.scope'].default, 'workspace');
  assert.deepEqual(p['shipshape.configurationPreference'].enum, ['filesystemFirst', 'editorFirst', 'editorOnly', 'filesystemOnly']);
  assert.equal(p['shipshape.configurationPreference'].default, 'filesystemFirst');
  assert.equal(p['shipshape.categories'].additionalProperties.type, 'boolean');
  assert.equal(p['shipshape.exclude'].items.type, 'string');
  assert.equal(p['shipshape.perPathIgnores'].additionalProperties.items.type, 'string');
  assert.equal(p['shipshape.enable'].type, 'boolean');
  assert.equal(p['shipshape.enable'].default, true);
  assert.equal(p['shipshape.path'].type, 'string');
  assert.equal(p['shipshape.path'].default, '');
  assert.deepEqual(p['shipshape.rules'].additionalProperties.enum, SEVERITIES);
  assert.deepEqual(p['shipshape.trace.server'].enum, ['off', 'messages', 'verbose']);
});

test('every rule of the catalog can be given a severity, and nothing else is listed', () => {
  const ids = catalogRules().map((r) => r.id);
  assert.ok(ids.length >= 40, `only ${ids.length} rules parsed from ${CATALOG}`);
  assert.ok(ids.includes('bare-except') && ids.includes('dockerfile-runs-as-root'));
  const listed = Object.keys(pkg.contributes.configuration.properties['shipshape.rules'].properties);
  assert.deepEqual(listed, [...ids].sort());
  for (const id of listed) {
    assert.deepEqual(pkg.contributes.configuration.properties['shipshape.rules'].properties[id].enum, SEVERITIES);
  }
});

test('catalogRules reads only rule rows', () => {
  const rows = catalogRules('| id | prio | cat |\n|---|---|---|\n| bare-except | high | reliability | `except:` | fix |\n| not a rule |\n');
  assert.deepEqual(rows, [{ id: 'bare-except', priority: 'high', category: 'reliability' }]);
});
