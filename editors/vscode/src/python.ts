// The interpreter the Python extension (ms-python.python) selected for a workspace folder, through
// its public API (`environments.getActiveEnvironmentPath` / `resolveEnvironment`). Undefined when
// the Python extension is not installed or has selected nothing; `binary.ts` then looks in `.venv`.
import * as vscode from 'vscode';

type PythonEnvironmentsApi = {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(path: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
};

export async function selectedInterpreter(folder: vscode.Uri | undefined): Promise<string | undefined> {
  try {
    const extension = vscode.extensions.getExtension<PythonEnvironmentsApi>('ms-python.python');
    if (!extension) return undefined;
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    if (!environments) return undefined;
    const active = environments.getActiveEnvironmentPath(folder);
    if (!active) return undefined;
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}
