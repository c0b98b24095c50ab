// The `shipshape` settings section as the server reads it (see ../../settings.schema.json): every
// setting, with the schema's defaults. Sent as `initializationOptions`; the server then asks for
// each workspace folder's own values with `workspace/configuration`. No `vscode` import: unit-tested
// under node.

/** Reads one setting (`vscode.WorkspaceConfiguration.get`). */
export type Get = <T>(key: string, fallback: T) => T;

/** The 9 settings of the schema, by their key under `shipshape.`. */
export const SETTING_KEYS = [
  'enable', 'path', 'trace.server', 'rules', 'categories', 'exclude', 'perPathIgnores', 'scope',
  'configurationPreference',
] as const;

export function serverSettings(get: Get): Record<string, unknown> {
  return {
    enable: get<boolean>('enable', true),
    path: get<string>('path', ''),
    trace: { server: get<string>('trace.server', 'off') },
    rules: get<Record<string, string>>('rules', {}),
    categories: get<Record<string, boolean>>('categories', {}),
    exclude: get<string[]>('exclude', []),
    perPathIgnores: get<Record<string, string[]>>('perPathIgnores', {}),
    scope: get<string>('scope', 'workspace'),
    configurationPreference: get<string>('configurationPreference', 'filesystemFirst'),
  };
}
