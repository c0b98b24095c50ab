// The settings in package.json are generated from ../../settings.schema.json (the one source the
// server's settings type is checked against) and cover every rule folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { EXT, RULES, SCHEMA, SEVERITIES, configuration, ruleFolderIds } from '../../scripts/gen-settings.mjs';

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

test('every rule folder can be given a severity, and nothing else is listed', () => {
  const ids = ruleFolderIds();
  assert.ok(ids.length >= 40, `only ${ids.length} rule folders under ${RULES}`);
  assert.ok(ids.includes('bare-except') && ids.includes('dockerfile-runs-as-root'));
  const rules = pkg.contributes.configuration.properties['shipshape.rules'].properties;
  assert.deepEqual(Object.keys(rules), ids);
  for (const id of ids) {
    assert.deepEqual(rules[id].enum, SEVERITIES);
    assert.match(rules[id].markdownDescription, new RegExp(`\`${id}\` \\(category `));
  }
});
