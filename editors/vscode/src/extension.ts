import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { findBinary } from './binary';
import { selectedInterpreter } from './python';
import { type Report, parseReport, webviewHtml } from './report';
import { documentSelector } from './selectors';
import { serverSettings } from './settings';

const SECTION = 'shipshape';
const REPORT_COMMAND = 'shipshape.report'; // the server's workspace/executeCommand
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('shipshape');
// The server's notification that the workspace's findings may have changed: the status item asks
// for the score again, debounced, rather than on every diagnostics change of every extension.
const FINDINGS_CHANGED = 'shipshape/findingsChanged';
const SCORE_DEBOUNCE_MS = 1000;

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let binaryPath: string | undefined;
let lastScore: number | undefined;
let scoreTimer: NodeJS.Timeout | undefined;
let reportPanel: vscode.WebviewPanel | undefined;
let starting: Promise<void> | undefined;

/** The `shipshape` settings section, as the server receives it (see ./settings.ts). Each workspace
 * folder's own values reach the server through `workspace/configuration` (the client answers it
 * with `getConfiguration(section, scopeUri)`). */
function settings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration(SECTION);
  return serverSettings((key, fallback) => c.get(key, fallback));
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('shipshape', { log: true });
  status = vscode.window.createStatusBarItem('shipshape.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'shipshape';
  status.command = 'shipshape.showReport';
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    vscode.commands.registerCommand('shipshape.restart', () => restart(context)),
    vscode.commands.registerCommand('shipshape.showReport', () => showReport()),
    vscode.commands.registerCommand('shipshape.fixAll', () => fixAll()),
    vscode.commands.registerCommand('shipshape.showOutput', () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('shipshape.enable') || e.affectsConfiguration('shipshape.path')) {
        await restart(context);
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context)),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

function setStatus(text: string, tooltip: string, error = false): void {
  status.text = text;
  status.tooltip = tooltip;
  status.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  if (starting) return starting;
  starting = (async () => {
    const cfg = vscode.workspace.getConfiguration(SECTION);
    if (!cfg.get<boolean>('enable', true)) {
      setStatus('$(circle-slash) shipshape', 'shipshape is disabled (`shipshape.enable` is false)');
      output.info('shipshape.enable is false: not starting the server');
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const found = findBinary({
      setting: cfg.get<string>('path', ''),
      extensionPath: context.extensionPath,
      workspaceFolder: folder?.fsPath,
      interpreter: vscode.workspace.isTrusted ? await selectedInterpreter(folder) : undefined,
      trusted: vscode.workspace.isTrusted,
    });
    if (!found.ok) {
      output.error(`${found.message} (tried: ${found.tried.join(', ') || 'nothing'})`);
      setStatus('$(error) shipshape', found.message, true);
      const choice = await vscode.window.showErrorMessage(`shipshape: ${found.message}`, 'Open Settings', 'Show Output');
      if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'shipshape.path');
      } else if (choice === 'Show Output') {
        output.show();
      }
      return;
    }
    binaryPath = found.path;
    output.info(`starting ${found.path} server (found via ${found.source})`);
    setStatus('$(sync~spin) shipshape', `Starting ${found.path} server`);

    // No `transport` here: for an executable, TransportKind.stdio makes the client append `--stdio`.
    const serverOptions: ServerOptions = {
      run: { command: found.path, args: ['server'] },
      debug: { command: found.path, args: ['server'] },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(),
      outputChannel: output,
      initializationOptions: settings(),
      synchronize: { configurationSection: SECTION },
      markdown: { isTrusted: false, supportHtml: false },
      diagnosticPullOptions: { onChange: true, onSave: true },
    };
    client = new LanguageClient(SECTION, 'shipshape', serverOptions, clientOptions);
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        setStatus('$(shield) shipshape', `shipshape server running (${binaryPath})`);
        scheduleScore(500);
        client?.onNotification(FINDINGS_CHANGED, () => scheduleScore(SCORE_DEBOUNCE_MS));
      } else if (e.newState === State.Stopped) {
        setStatus('$(error) shipshape', 'shipshape server stopped — run "shipshape: Restart Server"', true);
      }
    });
    try {
      await client.start();
      const info = client.initializeResult?.serverInfo;
      output.info(`server ready: ${info?.name ?? 'shipshape'} ${info?.version ?? ''}`.trim());
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      output.error(`could not start ${found.path} server: ${msg}`);
      setStatus('$(error) shipshape', `shipshape server failed to start: ${msg}`, true);
      void vscode.window.showErrorMessage(
        `shipshape: ${found.path} server failed to start (${msg}). Is it a shipshape binary with the \`server\` command?`,
        'Show Output',
      ).then((c) => c && output.show());
    }
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  lastScore = undefined;
  if (c) {
    try {
      await c.stop(5000);
    } catch (e) {
      output.warn(`stopping the server: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  output.info('restarting');
  await stop();
  await start(context);
}

function serverSupportsReport(): boolean {
  const cmds = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  return cmds.includes(REPORT_COMMAND);
}

async function fetchReport(): Promise<Report | undefined> {
  if (!client || client.state !== State.Running || !serverSupportsReport()) return undefined;
  const result = await client.sendRequest(ExecuteCommandRequest.type, { command: REPORT_COMMAND, arguments: [] });
  return parseReport(result);
}

/** Refreshes the score once `delay` ms pass without another request (a burst of notifications
 * while typing costs one report). */
function scheduleScore(delay = SCORE_DEBOUNCE_MS): void {
  if (scoreTimer) clearTimeout(scoreTimer);
  scoreTimer = setTimeout(() => void refreshScore(), delay);
}

async function refreshScore(): Promise<void> {
  if (!client || client.state !== State.Running) return;
  if (!serverSupportsReport()) {
    let count = 0;
    for (const [, diags] of client.diagnostics ? [...iterate(client.diagnostics)] : []) {
      count += diags.length;
    }
    setStatus(count > 0 ? `$(shield) shipshape ${count}` : '$(shield) shipshape', `${count} shipshape finding(s) in open files. `
      + 'This server does not provide the readiness report, so there is no score.');
    return;
  }
  try {
    const report = await fetchReport();
    lastScore = report?.score;
    setStatus(
      lastScore === undefined ? '$(shield) shipshape' : `$(shield) shipshape ${lastScore}/100`,
      'Readiness score of this workspace — click for the report',
    );
  } catch (e) {
    output.warn(`readiness report: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function showReport(): Promise<void> {
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage('shipshape: the server is not running. Run "shipshape: Restart Server" (see the shipshape output for why it stopped).');
    return;
  }
  if (!serverSupportsReport()) {
    const v = client.initializeResult?.serverInfo?.version;
    void vscode.window.showWarningMessage(
      `shipshape: this server (${binaryPath}${v ? `, version ${v}` : ''}) does not provide the readiness report `
      + `(no \`${REPORT_COMMAND}\` command). Update shipshape to a version that has \`shipshape report\`.`,
    );
    return;
  }
  let report: Report | undefined;
  try {
    report = await fetchReport();
  } catch (e) {
    void vscode.window.showErrorMessage(`shipshape: the readiness report failed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (!report) {
    void vscode.window.showErrorMessage('shipshape: the server answered the report command with no markdown.');
    return;
  }
  if (!reportPanel) {
    reportPanel = vscode.window.createWebviewPanel('shipshape.report', 'shipshape: Readiness Report',
      vscode.ViewColumn.Beside, { enableScripts: false, enableFindWidget: true });
    reportPanel.onDidDispose(() => (reportPanel = undefined));
  }
  lastScore = report.score;
  // The server's HTML report (score gauge, category bars); an older server sends only markdown.
  if (report.html) {
    reportPanel.webview.html = webviewHtml(report.html);
    reportPanel.reveal(undefined, true);
    return;
  }
  // VS Code's built-in markdown extension renders; without it, show the markdown as text.
  const rendered = await Promise.resolve(vscode.commands.executeCommand<string>('markdown.api.render', report.markdown))
    .catch(() => undefined);
  const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = typeof rendered === 'string' ? rendered : `<pre>${escape(report.markdown)}</pre>`;
  reportPanel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;">
<style>body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);line-height:1.5;padding:0 1.5em;max-width:60em}
code{font-family:var(--vscode-editor-font-family)}table{border-collapse:collapse}td,th{border:1px solid var(--vscode-panel-border);padding:2px 8px}</style>
</head><body>${body}</body></html>`;
  reportPanel.reveal(undefined, true);
}

/** The entries of the client's own diagnostic collection. */
function* iterate(collection: vscode.DiagnosticCollection): Generator<[vscode.Uri, readonly vscode.Diagnostic[]]> {
  const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] = [];
  collection.forEach((uri, diags) => entries.push([uri, diags]));
  yield* entries;
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('shipshape: open a file to fix.');
    return;
  }
  const doc = editor.document;
  const full = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', doc.uri, full, FIX_ALL_KIND.value)) ?? [];
  const mine = actions.filter((a) => a.kind && FIX_ALL_KIND.contains(a.kind));
  if (mine.length === 0) {
    void vscode.window.showInformationMessage('shipshape: no safe fixes to apply in this file.');
    return;
  }
  for (const a of mine) {
    if (a.edit) await vscode.workspace.applyEdit(a.edit);
    if (a.command) await vscode.commands.executeCommand(a.command.command, ...(a.command.arguments ?? []));
  }
}
