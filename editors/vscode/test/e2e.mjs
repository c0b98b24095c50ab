// End-to-end test of the shipshape extension in a real VS Code 1.100 (code-server) driven through
// headless Chromium by playwright-core. Started by run.sh, which installs the .vsix and starts
// code-server on PORT with the fixture workspace WS.
// Prints `PASS <step>` / `FAIL <step>: why` lines; run.sh counts them.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const PORT = process.env.PORT;
const WS = process.env.WS;
const SHOTS = process.env.SHOTS;
const SETTINGS = process.env.SETTINGS; // the user settings.json code-server reads
const RULES = new Map(JSON.parse(process.env.E2E_RULES || '[]').map((r) => [r.id, r])); // `shipshape rules --format json`
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 30000);
fs.mkdirSync(SHOTS, { recursive: true });

const t0 = Date.now();
const log = (...a) => console.error(`[+${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
let failed = false;
let shot = 0;
async function screenshot(page, name) {
  shot += 1;
  const file = path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  log('screenshot', file);
}
async function step(name, fn) {
  if (failed) return;
  const t = Date.now();
  try {
    await fn();
    console.log(`PASS vscode ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    failed = true;
    console.log(`FAIL vscode ${name}: ${(e && e.message) || e}`);
  }
}
const LOGS = process.env.LOGS; // code-server's log folder: the shipshape output channel (trace: verbose)
/** URIs the client sent `textDocument/didOpen` for, read from the verbose LSP trace. */
function openedUris() {
  const uris = new Set();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'shipshape.log') {
        const re = /Sending notification 'textDocument\/didOpen'\.[^\n]*\n[^\n]*Params: \{\s*"textDocument": \{\s*"uri": "([^"]+)"/g;
        for (const m of fs.readFileSync(p, 'utf8').matchAll(re)) uris.add(decodeURIComponent(m[1]));
      }
    }
  };
  walk(LOGS);
  return uris;
}
/** The shipshape output channel's text (the verbose LSP trace). */
function traceText() {
  let text = '';
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'shipshape.log') text += fs.readFileSync(p, 'utf8');
    }
  };
  walk(LOGS);
  return text;
}
const countIn = (text, re) => (text.match(re) || []).length;
const REPORT_REQUEST = /Sending request 'workspace\/executeCommand/g;
const FINDINGS_CHANGED = /Received notification 'shipshape\/findingsChanged'/g;
const MULTI = process.env.MULTI; // a multi-root workspace: $MULTI/multi.code-workspace, folders a and b
const nbsp = (s) => s.replace(/\u00a0/g, ' '); // Monaco renders spaces as U+00A0

const profile = fs.mkdtempSync(path.join(process.env.E2E_TMP || '/tmp', 'chrome-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  env: { ...process.env, HOME: profile },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(TIMEOUT);
page.on('pageerror', (e) => log('pageerror:', e.message));
const editor = page.locator('.editor-instance .monaco-editor').first();
const problems = page.locator('.markers-panel');
const problemRow = (text) => page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();

async function quickOpen(file) {
  await page.keyboard.press('Control+P');
  const qi = page.locator('.quick-input-widget input');
  await qi.waitFor({ state: 'visible' });
  await qi.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: path.basename(file) }).waitFor();
}
async function runCommand(title) {
  await page.keyboard.press('Control+Shift+P');
  const qi = page.locator('.quick-input-widget input');
  await qi.waitFor({ state: 'visible' });
  await qi.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}
/** Polls the Problems panel until its text matches `re` (it flickers while diagnostics are re-pulled). */
async function waitProblems(re, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = (await problems.innerText().catch(() => '')).replace(/\s+/g, ' ');
    if (re.test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`Problems panel never matched ${re}: ${text}`);
}
/** Types `text` into the Problems panel's filter: with project findings there are more rows than
 * the panel shows, and it only renders the visible ones. */
async function filterProblems(text) {
  const input = page.getByPlaceholder(/^Filter \(e\.g\. text/).first();
  await input.fill(text);
  await page.waitForTimeout(300); // the filter is applied after a short debounce
}
async function editorText() {
  return nbsp(await editor.locator('.view-lines').innerText());
}

try {
  await step('workbench opens the fixture workspace', async () => {
    await page.goto(`http://127.0.0.1:${PORT}/?folder=${encodeURIComponent(WS)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'Dockerfile' }).first()
      .waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
  });

  await step('app/main.py: Problems panel and a squiggle show bare-except', async () => {
    await quickOpen('app/main.py');
    await editor.locator('.view-lines', { hasText: 'def charge' }).waitFor();
    await page.keyboard.press('Control+Shift+M');
    await problemRow('bare-except').waitFor({ timeout: 60_000 });
    // message, source, code and position of the one finding
    const text = await waitProblems(/Bare `?except:`? also catches KeyboardInterrupt.* shipshape ?\(?bare-except\)? ?\[Ln 12, Col 5\]/);
    log('PROBLEMS:', text);
    await editor.locator('.squiggly-warning').first().waitFor();
    await screenshot(page, 'python-problems');
  });

  await step('hovering the squiggle shows the rule\'s documentation and its fix', async () => {
    // On the word `except` (4 spaces in; a squiggle is a decoration playwright cannot hover).
    const line = editor.locator('.view-line', { hasText: /^\s*except:/ }).first();
    await line.locator('span span', { hasText: /^except/ }).first().hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Suppressing it' }).first();
    await hover.waitFor();
    const text = nbsp(await hover.innerText()).replace(/\s+/g, ' ');
    log('HOVER:', text.slice(0, 400));
    for (const want of ['bare-except', 'Fix here', 'Catch `Exception` instead', '# shipshape: ignore[bare-except]']) {
      if (!text.includes(want.replace(/`/g, '')) && !text.includes(want)) throw new Error(`the hover lacks "${want}": ${text}`);
    }
    await screenshot(page, 'python-hover');
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
  });

  await step('Ctrl+. offers "Catch `Exception` instead" and applying it fixes the file', async () => {
    await editor.locator('.view-line', { hasText: /^\s*except:/ }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft'); // inside `except`
    await page.keyboard.press('Control+.');
    const want = /Catch `?Exception`? instead/;
    await page.locator('.action-widget .monaco-list-row', { hasText: want }).first().waitFor();
    log('QUICK FIX MENU:', (await page.locator('.action-widget').innerText()).replace(/\s+/g, ' '));
    await screenshot(page, 'python-quickfix-menu');
    // Clicks are swallowed by VS Code's pointer-block overlay: move the focus, then Enter.
    for (let i = 0; i < 8; i++) {
      const focused = await page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label').catch(() => null);
      if (focused && want.test(focused)) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const el = document.querySelector('.editor-instance .monaco-editor .view-lines');
      return el && el.innerText.replace(/\u00a0/g, ' ').includes('except Exception:');
    });
    const text = await editorText();
    if (/except:\s*$/m.test(text)) throw new Error(`a bare except remains:\n${text}`);
    await problemRow('bare-except').waitFor({ state: 'detached' });
    const file = path.join(WS, 'app/main.py');
    const deadline = Date.now() + 10_000; // files.refactoring.autoSave saves what a code action touched
    while (!fs.readFileSync(file, 'utf8').includes('except Exception:') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const disk = fs.readFileSync(file, 'utf8');
    if (!disk.includes('    except Exception:\n') || disk.includes('except:')) throw new Error(`file on disk:\n${disk}`);
    await screenshot(page, 'python-after-fix');
  });

  await step('typing a new bare except brings a diagnostic back at the right line', async () => {
    await page.keyboard.press('Control+End');
    // run.sh turns auto-indent, auto-closing and suggestions off, so the keys are the text.
    await page.keyboard.type('\n\ndef refund(order_id: int) -> bool:\n    try:\n        return order_id > 0\n'
      + '    except:\n        return False\n', { delay: 5 });
    await waitProblems(/bare-except\)? ?\[Ln 20, Col 5\]/);
    await screenshot(page, 'python-typed');
  });

  await step('"shipshape: Fix All Safe Problems in This File" fixes the typed bare except', async () => {
    await runCommand('shipshape: Fix All Safe Problems in This File');
    await problemRow('bare-except').waitFor({ state: 'detached' });
    const text = await editorText();
    if ((text.match(/except Exception:/g) || []).length !== 2) throw new Error(`expected two \`except Exception:\`:\n${text}`);
    await screenshot(page, 'python-fix-all');
  });

  let statusScore;
  await step('the status item shows the score and asks for it once per burst of typing, on the server\'s findingsChanged', async () => {
    const status = page.locator('.statusbar-item', { hasText: /shipshape \d+\/100/ }).first();
    await status.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(2000); // let the start-up refreshes settle
    const before = traceText();
    await page.keyboard.press('Control+End');
    // A burst of keys, each one changing this file's diagnostics (~3 s of typing).
    for (const key of '# a comment typed slowly') {
      await page.keyboard.type(key);
      await page.waitForTimeout(120);
    }
    const deadline = Date.now() + 15_000;
    while (countIn(traceText(), FINDINGS_CHANGED) <= countIn(before, FINDINGS_CHANGED) && Date.now() < deadline) {
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(3000); // the debounce (1 s), the report, the trace written out
    const after = traceText();
    const notifications = countIn(after, FINDINGS_CHANGED) - countIn(before, FINDINGS_CHANGED);
    const requests = countIn(after, REPORT_REQUEST) - countIn(before, REPORT_REQUEST);
    log(`STATUS: ${notifications} findingsChanged notifications, ${requests} report requests during the burst`);
    if (notifications < 1) throw new Error('no shipshape/findingsChanged notification after typing');
    if (requests < 1) throw new Error('the status item did not ask for the score after findingsChanged');
    // A loaded machine may pause long enough mid-burst for one more; one request per notification
    // (or more) would mean no debounce at all.
    if (requests > 2 && requests >= notifications) {
      throw new Error(`${requests} report requests for ${notifications} notifications in one burst of typing: not debounced`);
    }
    statusScore = Number(/shipshape (\d+)\/100/.exec(await status.innerText())[1]);
    log('STATUS ITEM:', await status.innerText());
    await page.keyboard.press('Control+Z');
  });

  // Problems lists errors, warnings and infos; hints (low priority) are only dots in the editor.
  const dockerRules = ['dockerfile-runs-as-root', 'dockerfile-no-healthcheck']
    .filter((r) => RULES.has(r) && RULES.get(r).severity !== 'hint');
  // A project (cross-file) rule reports in a file that was never opened: workspace diagnostics.
  if (RULES.has('dockerignore-missing')) {
    await step('Problems lists dockerignore-missing in the Dockerfile before it is opened (workspace diagnostics)', async () => {
      const dockerfile = `file://${path.join(WS, 'Dockerfile')}`;
      if (openedUris().has(dockerfile)) throw new Error('the Dockerfile is already open');
      await filterProblems('dockerignore-missing');
      await problemRow('dockerignore-missing').waitFor({ timeout: 60_000 });
      const text = await waitProblems(/Dockerfile.*copies the whole build context.*dockerignore-missing/);
      log('PROBLEMS (filtered):', text);
      if (openedUris().has(dockerfile)) throw new Error('the Dockerfile was opened');
      await screenshot(page, 'workspace-diagnostics');
      await filterProblems('');
    });
  }

  await step(`Dockerfile: ${dockerRules.length ? dockerRules.join(', ') : 'opens (this binary has no Dockerfile rules yet)'}`, async () => {
    await quickOpen('Dockerfile');
    await editor.locator('.view-lines', { hasText: 'FROM python' }).waitFor();
    for (const r of dockerRules) {
      await filterProblems(r);
      await problemRow(r).waitFor({ timeout: 60_000 });
    }
    await filterProblems('');
    if (dockerRules.length) {
      await editor.locator('.squiggly-warning, .squiggly-info, .squiggly-error, .squiggly-hint').first().waitFor();
      await screenshot(page, 'dockerfile-problems');
    }
  });

  await step('compose.yaml, .env and pyproject.toml are sent to the server; an unrelated TOML file is not', async () => {
    for (const f of ['compose.yaml', '.env', 'pyproject.toml', 'notes.toml']) await quickOpen(f);
    const want = ['compose.yaml', '.env', 'pyproject.toml'].map((f) => `file://${path.join(WS, f)}`);
    const deadline = Date.now() + TIMEOUT;
    let opened = openedUris();
    while (!want.every((u) => opened.has(u)) && Date.now() < deadline) {
      await page.waitForTimeout(200);
      opened = openedUris();
    }
    const missing = want.filter((u) => !opened.has(u));
    if (missing.length) throw new Error(`not sent to the server: ${missing.join(', ')}; sent: ${[...opened].join(', ')}`);
    if (!opened.has(`file://${path.join(WS, 'Dockerfile')}`)) throw new Error('the Dockerfile was not sent to the server');
    if (opened.has(`file://${path.join(WS, 'notes.toml')}`)) throw new Error('notes.toml was sent to the server');
  });

  await step('status bar shows shipshape', async () => {
    await page.locator('.statusbar-item', { hasText: 'shipshape' }).first().waitFor();
  });

  await step('"shipshape: Show Readiness Report" shows the report, or says the server has none', async () => {
    await runCommand('shipshape: Show Readiness Report');
    const panel = page.locator('.tab', { hasText: 'Readiness Report' }).first();
    const toast = page.locator('.notification-toast', { hasText: 'does not provide the readiness report' }).first();
    await Promise.any([panel.waitFor(), toast.waitFor()]);
    await page.waitForTimeout(700); // let the toast slide in before the screenshot
    await screenshot(page, 'report');
    if (await panel.isVisible()) {
      // The HTML report: its score gauge (an SVG) and the category bars.
      const frame = page.frameLocator('iframe.webview').frameLocator('iframe');
      await frame.locator('svg.gauge').waitFor();
      const bars = await frame.locator('.bar').count();
      if (bars < 3) throw new Error(`${bars} category bars in the report panel`);
      const gauge = await frame.locator('svg.gauge').getAttribute('aria-label');
      log('REPORT:', gauge, `${bars} bars;`, (await frame.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300));
      if (statusScore !== undefined && gauge !== `score ${statusScore} out of 100`) {
        throw new Error(`the status item says ${statusScore}/100, the report's gauge "${gauge}"`);
      }
      if ((await frame.locator('body').innerText()).includes('```')) throw new Error('markdown shown in the panel');
    } else {
      log('TOAST:', (await toast.innerText()).replace(/\s+/g, ' '));
    }
    await page.keyboard.press('Escape');
  });

  await step('Settings UI lists the shipshape settings; a wrong shipshape.path gives a clear error', async () => {
    await runCommand('Preferences: Open User Settings');
    await page.locator('.settings-editor').waitFor();
    await page.keyboard.type('shipshape', { delay: 10 });
    await page.locator('.setting-item-contents', { hasText: 'Run shipshape on this workspace' }).first().waitFor();
    await screenshot(page, 'settings');
    // The settings list renders only what fits: look each setting up by its id (the search box
    // keeps the focus).
    const wanted = [
      ['shipshape.rules', 'Severity per rule id'],
      ['shipshape.trace.server', 'Log the LSP messages'],
      ['shipshape.scope', 'Where findings of the project rules'],
      ['shipshape.configurationPreference', 'Which decides when these settings'],
      ['shipshape.perPathIgnores', 'Globs (relative to the workspace folder)'],
    ];
    for (const [id, text] of wanted) {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(id, { delay: 5 });
      await page.locator('.setting-item-contents', { hasText: text }).first().waitFor();
    }
    await page.keyboard.press('Control+A');
    await page.keyboard.type('shipshape.path', { delay: 5 });
    // shipshape.path is machine-scoped (a path on the machine the server runs on): under code-server
    // that is the Remote tab.
    await page.locator('.settings-tabs-widget .action-label', { hasText: 'Remote' }).first().click();
    const pathSetting = page.locator('.setting-item-contents', { hasText: 'Path to the' }).first();
    await pathSetting.waitFor();
    const input = pathSetting.locator('input').first();
    await input.fill('/nonexistent/shipshape');
    await input.press('Tab');
    const toast = page.locator('.notification-toast', { hasText: 'is not an executable file' }).first();
    await toast.waitFor();
    log('TOAST:', (await toast.innerText()).replace(/\s+/g, ' '));
    await page.locator('.statusbar-item.has-background-color', { hasText: 'shipshape' }).first().waitFor();
    await page.waitForTimeout(700);
    await screenshot(page, 'wrong-path-error');
  });

  // Last: it opens another window. Each folder of a multi-root workspace turns a different project
  // rule off in its own .vscode/settings.json; the server asks for each folder's settings
  // (`workspace/configuration` with its scopeUri) and applies them to that folder's files only.
  await step('multi-root workspace: each folder\'s own settings apply to its files', async () => {
    // The previous step set a wrong shipshape.path (machine settings): set the right one there.
    const machine = path.join(path.dirname(path.dirname(SETTINGS)), 'Machine', 'settings.json');
    const binary = JSON.parse(fs.readFileSync(SETTINGS, 'utf8'))['shipshape.path'];
    const machineSettings = fs.existsSync(machine) ? JSON.parse(fs.readFileSync(machine, 'utf8')) : {};
    fs.writeFileSync(machine, JSON.stringify({ ...machineSettings, 'shipshape.path': binary }, null, 2));
    // Nothing left dirty: leaving a window with unsaved editors is vetoed.
    await page.keyboard.press('Escape');
    await page.locator('.part.sidebar .composite.title').first().click(); // out of the settings editor
    await runCommand('File: Save All');
    await runCommand('View: Close All Editors');
    await page.waitForTimeout(500);
    const file = path.join(MULTI, 'multi.code-workspace');
    // Under load, code-server now and then opens a workspace file with no folders (the explorer
    // says "no folder opened" for good); loading the page again reads it.
    const folderB = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^b$/i }).first();
    for (let attempt = 1; ; attempt++) {
      if (attempt === 1) await page.goto(`http://127.0.0.1:${PORT}/?workspace=${encodeURIComponent(file)}`);
      else await page.reload();
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      try {
        await folderB.waitFor({ timeout: 20_000 });
        break;
      } catch (e) {
        const explorer = (await page.locator('.explorer-viewlet').innerText().catch(() => '')).replace(/\s+/g, ' ');
        log(`MULTI-ROOT WINDOW (attempt ${attempt}):`, page.url(), explorer.slice(0, 200));
        if (attempt === 3) throw e;
      }
    }
    await page.locator('.statusbar-item', { hasText: /shipshape \d+\/100/ }).first().waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
    await page.keyboard.press('Control+Shift+M');
    const rows = (text) => page.locator('.markers-panel .monaco-list-row', { hasText: text });
    // Both folders report their other project findings: the server is up on both.
    await filterProblems('tests-missing');
    const deadline = Date.now() + 60_000;
    // The Problems list is virtual (rows below the fold are not in the page), so the count needs
    // the filter; under load the panel now and then comes up again with its filter cleared
    // (a CI run's failure screenshot showed every problem and an empty filter): apply it again.
    const filter = page.getByPlaceholder(/^Filter \(e\.g\. text/).first();
    while ((await rows('tests-missing').count()) < 2 && Date.now() < deadline) {
      if ((await filter.inputValue().catch(() => '')) !== 'tests-missing') await filterProblems('tests-missing');
      await page.waitForTimeout(200);
    }
    if ((await rows('tests-missing').count()) !== 2) throw new Error('tests-missing is not reported in both folders');
    await page.waitForTimeout(1500); // a late publication would show here
    const shown = {};
    // Folder a turns ci-missing off, folder b dockerignore-missing: each shows in the other only.
    const where = { 'dockerignore-missing': /Dockerfile\s*a\s*1\b/, 'ci-missing': /pyproject\.toml\s*b\s*1\b/ };
    for (const rule of ['dockerignore-missing', 'ci-missing']) {
      await filterProblems(rule);
      await page.waitForTimeout(500);
      shown[rule] = await rows(rule).count();
      const text = (await problems.innerText()).replace(/\s+/g, ' ');
      log(`PROBLEMS (${rule}):`, text);
      if (!where[rule].test(text)) throw new Error(`${rule} is not shown in the expected folder's file: ${text}`);
      if (rule === 'dockerignore-missing') await screenshot(page, 'multi-root-settings');
    }
    await filterProblems('');
    if (shown['dockerignore-missing'] !== 1 || shown['ci-missing'] !== 1) {
      throw new Error(`each rule should show in one folder only: ${JSON.stringify(shown)}`);
    }
    const asked = traceText().match(/Received request 'workspace\/configuration[^\n]*\n[^\n]*Params: [^]*?\]\s*\}/g) || [];
    if (!asked.some((request) => request.includes('scopeUri'))) throw new Error('workspace/configuration was not asked with a scopeUri');
  });
} finally {
  if (failed) await screenshot(page, 'failure').catch(() => {});
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
