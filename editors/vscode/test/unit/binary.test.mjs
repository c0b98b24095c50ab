// The binary lookup order: the shipshape.path setting, the workspace's Python environment (the selected
// interpreter, then .venv), the bundled bin/shipshape, then PATH; an untrusted workspace: bundled only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { buildSync } from 'esbuild';

const here = path.dirname(new URL(import.meta.url).pathname);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-binary-test-'));
buildSync({ entryPoints: [path.join(here, '../../src/binary.ts')], bundle: true, platform: 'node', format: 'esm', outfile: path.join(tmp, 'binary.mjs'), logLevel: 'silent' });
const { findBinary } = await import(path.join(tmp, 'binary.mjs'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function exe(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o755);
  return file;
}
const ext = path.join(tmp, 'ext');
const pathDir = path.join(tmp, 'path-bin');
const onPath = exe(path.join(pathDir, 'shipshape'));

test('PATH is the last resort', () => {
  assert.deepEqual(findBinary({ setting: null, extensionPath: ext, envPath: pathDir }), { ok: true, path: onPath, source: 'PATH' });
});

test('a bundled binary wins over PATH', () => {
  const bundled = exe(path.join(ext, 'bin', 'shipshape'));
  try {
    assert.deepEqual(findBinary({ setting: '', extensionPath: ext, envPath: pathDir }), { ok: true, path: bundled, source: 'bundled' });
  } finally {
    fs.rmSync(path.join(ext, 'bin'), { recursive: true });
  }
});

test('the setting wins, with ${workspaceFolder} expanded and relative paths from the workspace', () => {
  const ws = path.join(tmp, 'ws');
  const mine = exe(path.join(ws, 'tools', 'shipshape'));
  exe(path.join(ext, 'bin', 'shipshape'));
  try {
    for (const setting of ['${workspaceFolder}/tools/shipshape', 'tools/shipshape', mine]) {
      assert.deepEqual(findBinary({ setting, extensionPath: ext, workspaceFolder: ws, envPath: pathDir }), { ok: true, path: mine, source: 'setting' });
    }
  } finally {
    fs.rmSync(path.join(ext, 'bin'), { recursive: true });
  }
});

test('a wrong setting is an error that names it, not a silent fallback', () => {
  const r = findBinary({ setting: '/nonexistent/shipshape', extensionPath: ext, envPath: pathDir });
  assert.equal(r.ok, false);
  assert.match(r.message, /shipshape\.path.*\/nonexistent\/shipshape.*is not an executable file/);
});

test('a non-executable file is not a binary', () => {
  const plain = path.join(tmp, 'plain', 'shipshape');
  fs.mkdirSync(path.dirname(plain), { recursive: true });
  fs.writeFileSync(plain, 'not a program');
  const r = findBinary({ setting: null, extensionPath: ext, envPath: path.dirname(plain) });
  assert.equal(r.ok, false);
  assert.match(r.message, /No `shipshape` executable found.*shipshape\.path/);
});

test('the workspace .venv wins over the bundled binary and PATH', () => {
  const ws = path.join(tmp, 'ws-venv');
  const venv = exe(path.join(ws, '.venv', 'bin', 'shipshape'));
  exe(path.join(ext, 'bin', 'shipshape'));
  try {
    assert.deepEqual(findBinary({ setting: '', extensionPath: ext, workspaceFolder: ws, envPath: pathDir }), { ok: true, path: venv, source: 'environment' });
  } finally {
    fs.rmSync(path.join(ext, 'bin'), { recursive: true });
  }
});

test('the interpreter the Python extension selected wins over .venv; the setting wins over both', () => {
  const ws = path.join(tmp, 'ws-interp');
  exe(path.join(ws, '.venv', 'bin', 'shipshape'));
  const selected = exe(path.join(tmp, 'envs', 'prod', 'bin', 'shipshape'));
  exe(path.join(tmp, 'envs', 'prod', 'bin', 'python3'));
  const interpreter = path.join(tmp, 'envs', 'prod', 'bin', 'python3');
  assert.deepEqual(findBinary({ setting: '', extensionPath: ext, workspaceFolder: ws, interpreter, envPath: pathDir }), { ok: true, path: selected, source: 'environment' });
  // An environment given as its folder (some environment managers report that) works too.
  assert.deepEqual(findBinary({ setting: '', extensionPath: ext, interpreter: path.join(tmp, 'envs', 'prod'), envPath: pathDir }), { ok: true, path: selected, source: 'environment' });
  const mine = exe(path.join(tmp, 'mine', 'shipshape'));
  assert.deepEqual(findBinary({ setting: mine, extensionPath: ext, workspaceFolder: ws, interpreter, envPath: pathDir }), { ok: true, path: mine, source: 'setting' });
});

test('an environment without shipshape falls through to the bundled binary', () => {
  const ws = path.join(tmp, 'ws-empty-venv');
  exe(path.join(ws, '.venv', 'bin', 'python3'));
  const bundled = exe(path.join(ext, 'bin', 'shipshape'));
  try {
    const r = findBinary({ setting: '', extensionPath: ext, workspaceFolder: ws, interpreter: path.join(ws, '.venv', 'bin', 'python3'), envPath: pathDir });
    assert.deepEqual(r, { ok: true, path: bundled, source: 'bundled' });
  } finally {
    fs.rmSync(path.join(ext, 'bin'), { recursive: true });
  }
});

test('an untrusted workspace uses only the bundled binary: not the setting, the environment or PATH', () => {
  const ws = path.join(tmp, 'ws-untrusted');
  exe(path.join(ws, '.venv', 'bin', 'shipshape'));
  const mine = exe(path.join(ws, 'tools', 'shipshape'));
  const bundled = exe(path.join(ext, 'bin', 'shipshape'));
  try {
    assert.deepEqual(findBinary({ setting: mine, extensionPath: ext, workspaceFolder: ws, envPath: pathDir, trusted: false }), { ok: true, path: bundled, source: 'bundled' });
  } finally {
    fs.rmSync(path.join(ext, 'bin'), { recursive: true });
  }
  const r = findBinary({ setting: mine, extensionPath: ext, workspaceFolder: ws, envPath: pathDir, trusted: false });
  assert.equal(r.ok, false);
  assert.deepEqual(r.tried, [path.join(ext, 'bin', 'shipshape')]);
  assert.match(r.message, /not trusted.*bundled/);
});

test('on Windows the names are shipshape.exe and .venv\\Scripts', () => {
  const ws = path.join(tmp, 'ws-win');
  const venv = exe(path.join(ws, '.venv', 'Scripts', 'shipshape.exe'));
  exe(path.join(ws, '.venv', 'bin', 'shipshape'));
  assert.deepEqual(findBinary({ setting: '', extensionPath: ext, workspaceFolder: ws, envPath: '', platform: 'win32' }), { ok: true, path: venv, source: 'environment' });
  // A conda environment: python.exe at the root, shipshape.exe in Scripts\.
  const conda = path.join(tmp, 'conda-env');
  exe(path.join(conda, 'python.exe'));
  const condaExe = exe(path.join(conda, 'Scripts', 'shipshape.exe'));
  assert.deepEqual(findBinary({ setting: '', extensionPath: ext, interpreter: path.join(conda, 'python.exe'), envPath: '', platform: 'win32' }), { ok: true, path: condaExe, source: 'environment' });
});
