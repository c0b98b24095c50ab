// Finding the `shipshape` executable, in the order ruff-vscode uses:
//   1. the `shipshape.path` setting (an explicit choice always wins, and is an error when wrong),
//   2. the workspace's Python environment: the interpreter the Python extension selected, then
//      the workspace folder's `.venv` (`pip install shipshape-cli` puts `shipshape` beside python),
//   3. the binary bundled in the extension (`<extension>/bin/shipshape`, in a platform VSIX),
//   4. `shipshape` on PATH.
// In an untrusted workspace only the bundled binary is used: the setting, the workspace's
// environment and PATH could all run a program the workspace chose.
// No `vscode` import here: this is plain logic over the file system.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type Source = 'setting' | 'environment' | 'bundled' | 'PATH';
export type Found = { ok: true; path: string; source: Source };
export type NotFound = { ok: false; message: string; tried: string[] };

export type FindOptions = {
  setting: string | null | undefined;
  extensionPath: string;
  workspaceFolder?: string;
  /** The Python interpreter the Python extension selected for the workspace, if any. */
  interpreter?: string;
  envPath?: string;
  /** `vscode.workspace.isTrusted`; an untrusted workspace uses only the bundled binary. */
  trusted?: boolean;
  platform?: NodeJS.Platform;
};

function exeName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'shipshape.exe' : 'shipshape';
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function expand(setting: string, workspaceFolder: string | undefined): string {
  let p = setting.trim();
  if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
  if (workspaceFolder) p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  return p;
}

/**
 * Where a Python environment's scripts would hold `shipshape`: beside the interpreter (a venv's
 * `bin/` or `Scripts/`), and the environment's own `bin/` or `Scripts/` when the interpreter is
 * given as the environment folder.
 */
export function environmentCandidates(opts: FindOptions): string[] {
  const platform = opts.platform ?? process.platform;
  const exe = exeName(platform);
  const scripts = platform === 'win32' ? 'Scripts' : 'bin';
  const out: string[] = [];
  if (opts.interpreter && opts.interpreter.trim() !== '') {
    const interpreter = opts.interpreter.trim();
    out.push(path.join(path.dirname(interpreter), exe));
    // A conda environment on Windows keeps python.exe at its root and scripts in Scripts\.
    if (platform === 'win32') out.push(path.join(path.dirname(interpreter), scripts, exe));
    out.push(path.join(interpreter, scripts, exe));
  }
  if (opts.workspaceFolder) out.push(path.join(opts.workspaceFolder, '.venv', scripts, exe));
  return [...new Set(out)];
}

export function findBinary(opts: FindOptions): Found | NotFound {
  const platform = opts.platform ?? process.platform;
  const exe = exeName(platform);
  const trusted = opts.trusted ?? true;
  const tried: string[] = [];
  const bundled = path.join(opts.extensionPath, 'bin', exe);
  if (!trusted) {
    tried.push(bundled);
    if (isExecutable(bundled, platform)) return { ok: true, path: bundled, source: 'bundled' };
    return {
      ok: false,
      tried,
      message: 'This workspace is not trusted, so shipshape runs only the binary bundled in the extension, and this '
        + 'extension has none (install the platform-specific build of the extension, or trust the workspace to use '
        + 'the `shipshape.path` setting, the workspace\'s Python environment or PATH).',
    };
  }
  if (opts.setting && opts.setting.trim() !== '') {
    const p = expand(opts.setting, opts.workspaceFolder);
    // A bare name ("shipshape-nightly") is looked up on PATH; anything with a slash is a path.
    const candidates = p.includes('/') || p.includes('\\')
      ? [path.isAbsolute(p) || !opts.workspaceFolder ? p : path.join(opts.workspaceFolder, p)]
      : onPath(p, opts.envPath);
    for (const c of candidates) {
      tried.push(c);
      if (isExecutable(c, platform)) return { ok: true, path: c, source: 'setting' };
    }
    return {
      ok: false,
      tried,
      message: `The \`shipshape.path\` setting is "${opts.setting}", but ${tried[0] ?? p} is not an executable file. `
        + 'Fix the setting, or clear it to use the workspace\'s Python environment, the bundled binary or the one on PATH.',
    };
  }
  for (const c of environmentCandidates(opts)) {
    tried.push(c);
    if (isExecutable(c, platform)) return { ok: true, path: c, source: 'environment' };
  }
  tried.push(bundled);
  if (isExecutable(bundled, platform)) return { ok: true, path: bundled, source: 'bundled' };
  for (const c of onPath(exe, opts.envPath)) {
    tried.push(c);
    if (isExecutable(c, platform)) return { ok: true, path: c, source: 'PATH' };
  }
  return {
    ok: false,
    tried,
    message: 'No `shipshape` executable found: the `shipshape.path` setting is empty, the workspace\'s Python '
      + 'environment has none, this extension has no bundled binary, and `shipshape` is not on PATH. Install it '
      + '(`pip install shipshape-cli` in the workspace\'s environment, or `uv tool install shipshape-cli`), or set '
      + '`shipshape.path` to its full path, then run "shipshape: Restart Server".',
  };
}

function onPath(name: string, envPath = process.env.PATH ?? ''): string[] {
  return envPath.split(path.delimiter).filter((d) => d !== '').map((d) => path.join(d, name));
}
