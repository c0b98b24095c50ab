// Finding the `shipshape` executable, in a documented order:
//   1. the `shipshape.path` setting (an explicit choice always wins, and is an error when wrong),
//   2. the binary bundled in the extension (`<extension>/bin/shipshape`),
//   3. `shipshape` on PATH.
// No `vscode` import here: this is plain logic over the file system.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type Found = { ok: true; path: string; source: 'setting' | 'bundled' | 'PATH' };
export type NotFound = { ok: false; message: string; tried: string[] };

const EXE = process.platform === 'win32' ? 'shipshape.exe' : 'shipshape';

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
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

export function findBinary(opts: {
  setting: string | null | undefined;
  extensionPath: string;
  workspaceFolder?: string;
  envPath?: string;
}): Found | NotFound {
  const tried: string[] = [];
  if (opts.setting && opts.setting.trim() !== '') {
    const p = expand(opts.setting, opts.workspaceFolder);
    // A bare name ("shipshape-nightly") is looked up on PATH; anything with a slash is a path.
    const candidates = p.includes('/') || p.includes('\\')
      ? [path.isAbsolute(p) || !opts.workspaceFolder ? p : path.join(opts.workspaceFolder, p)]
      : onPath(p, opts.envPath);
    for (const c of candidates) {
      tried.push(c);
      if (isExecutable(c)) return { ok: true, path: c, source: 'setting' };
    }
    return {
      ok: false,
      tried,
      message: `The \`shipshape.path\` setting is "${opts.setting}", but ${tried[0] ?? p} is not an executable file. `
        + 'Fix the setting, or clear it to use the bundled binary or the one on PATH.',
    };
  }
  const bundled = path.join(opts.extensionPath, 'bin', EXE);
  tried.push(bundled);
  if (isExecutable(bundled)) return { ok: true, path: bundled, source: 'bundled' };
  for (const c of onPath(EXE, opts.envPath)) {
    tried.push(c);
    if (isExecutable(c)) return { ok: true, path: c, source: 'PATH' };
  }
  return {
    ok: false,
    tried,
    message: 'No `shipshape` executable found: the `shipshape.path` setting is empty, this extension has no '
      + 'bundled binary, and `shipshape` is not on PATH. Install it (`cargo install --locked --path server/shipshape` '
      + 'in a checkout of shipshape) and either put it on PATH or set `shipshape.path` to its full path, then run '
      + '"shipshape: Restart Server".',
  };
}

function onPath(name: string, envPath = process.env.PATH ?? ''): string[] {
  return envPath.split(path.delimiter).filter((d) => d !== '').map((d) => path.join(d, name));
}
