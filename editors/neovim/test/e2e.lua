-- End-to-end test of shipshape in a real, headless Neovim 0.11, through this plugin's own files
-- (lsp/shipshape.lua, lua/shipshape/*, plugin/shipshape.lua on 'runtimepath').
--
--   nvim --headless --clean -l e2e.lua
--
-- Env: SHIPSHAPE_BIN  the shipshape executable (required)
--      E2E_MODE       pull   : vim.lsp.enable('shipshape'); Neovim pulls diagnostics (textDocument/diagnostic)
--                     push   : as pull, but the client hides its pull capability, so the server must publish
--                     setup  : require('shipshape').setup{ use_enable = false } — the Neovim 0.10 code path
--      E2E_PLUGIN     the plugin folder (editors/neovim)
--      E2E_FIXTURE    the fixture project to copy (editors/neovim/test/fixture)
--      E2E_RULES      JSON of `shipshape rules --format json` (which rules this binary has)
--      E2E_TIMEOUT_MS per-step wait (default 15000); E2E_WATCHDOG_MS whole run (default 60000)
-- stdout: one line per step, `PASS <mode> <step>` or `FAIL <mode> <step>: <why>`; run.sh counts them.
-- Exit: 0 all passed, 1 a step failed, 2 watchdog.

for _, p in ipairs({ 'python3', 'node', 'perl', 'ruby' }) do
  vim.g['loaded_' .. p .. '_provider'] = 0 -- ftplugin/python probes the python provider: ~650 ms
end

local uv = vim.uv
local t0 = uv.hrtime()
local MODE = os.getenv('E2E_MODE') or 'pull'
local TIMEOUT = tonumber(os.getenv('E2E_TIMEOUT_MS')) or 15000
local WATCHDOG_MS = tonumber(os.getenv('E2E_WATCHDOG_MS')) or 60000
local BIN = assert(os.getenv('SHIPSHAPE_BIN'), 'SHIPSHAPE_BIN is not set')
local PLUGIN = assert(os.getenv('E2E_PLUGIN'), 'E2E_PLUGIN is not set')
local FIXTURE = assert(os.getenv('E2E_FIXTURE'), 'E2E_FIXTURE is not set')

local function log(fmt, ...)
  io.stderr:write(string.format('[%7.1f ms] ' .. fmt, (uv.hrtime() - t0) / 1e6, ...) .. '\n')
end
local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local watchdog = uv.new_timer()
watchdog:start(WATCHDOG_MS, 0, function()
  out(('FAIL %s watchdog: the run exceeded %d ms'):format(MODE, WATCHDOG_MS))
  os.exit(2)
end)

local server_exit
local function check(cond, fmt, ...)
  if not cond then
    error({ msg = string.format(fmt, ...) }, 0) -- a failed check: no traceback needed
  end
  return cond
end
local function wait_for(what, pred, timeout)
  timeout = timeout or TIMEOUT
  local ok = vim.wait(timeout, function()
    return server_exit ~= nil or pred()
  end, 10)
  check(not server_exit, 'the server exited (code %s, signal %s) while waiting for %s',
    server_exit and server_exit.code, server_exit and server_exit.signal, what)
  check(ok, 'timed out after %d ms waiting for %s', timeout, what)
end

local failed = false
--- Runs one named step; a failed step ends the run (later steps build on it).
local function step(name, fn)
  if failed then
    return
  end
  local t = uv.hrtime()
  local ok, err = xpcall(fn, function(e)
    return type(e) == 'table' and e.msg or debug.traceback(tostring(e), 2)
  end)
  if ok then
    out(('PASS %s %s (%.0f ms)'):format(MODE, name, (uv.hrtime() - t) / 1e6))
  else
    failed = true
    out(('FAIL %s %s: %s'):format(MODE, name, tostring(err):gsub('\n', '\n    ')))
  end
end

------------------------------------------------------------------ workspace and plugin
local root = vim.fn.tempname() .. '-shipshape-e2e'
vim.fn.mkdir(root, 'p')
vim.fn.system({ 'cp', '-R', FIXTURE .. '/.', root })
assert(vim.v.shell_error == 0, 'copying the fixture failed')
root = vim.uv.fs_realpath(root)

vim.opt.runtimepath:prepend(PLUGIN)
vim.g.shipshape_path = BIN
vim.cmd('runtime! plugin/shipshape.lua')
vim.cmd('filetype on')

local have_rule = {}
for _, r in ipairs(vim.json.decode(os.getenv('E2E_RULES') or '[]')) do
  have_rule[r.id] = r
end

local counts = { publish = 0, pull = 0 }
local did_change = {}
local opened = {}
vim.api.nvim_create_autocmd('LspNotify', {
  callback = function(ev)
    if ev.data.method == 'textDocument/didChange' then
      table.insert(did_change, ev.data.params)
    elseif ev.data.method == 'textDocument/didOpen' then
      opened[ev.data.params.textDocument.uri] = true
    end
  end,
})

local overrides = {
  on_exit = function(code, signal)
    server_exit = { code = code, signal = signal }
  end,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, ...)
      counts.publish = counts.publish + 1
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, ...)
    end,
    ['textDocument/diagnostic'] = function(err, result, ctx, ...)
      counts.pull = counts.pull + 1
      return vim.lsp.diagnostic.on_diagnostic(err, result, ctx, ...)
    end,
  },
}
if MODE == 'push' then
  local base_before_init = vim.lsp.config.shipshape and vim.lsp.config.shipshape.before_init
  overrides.before_init = function(params, config)
    if base_before_init then
      base_before_init(params, config)
    end
    params.capabilities.textDocument.diagnostic = nil
  end
  overrides.on_init = function(client)
    client.server_capabilities.diagnosticProvider = nil -- or Neovim pulls anyway
  end
end

if MODE == 'setup' then
  require('shipshape').setup({ use_enable = false, path = BIN })
  -- setup{} does not expose on_exit/handlers; patch them in through the client once it exists.
else
  vim.lsp.config('shipshape', overrides)
  vim.lsp.enable('shipshape')
end

------------------------------------------------------------------ helpers
local function client_for(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = 'shipshape' })[1]
end
local function diags(buf, code)
  local r = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'shipshape' and (code == nil or d.code == code) then
      r[#r + 1] = d
    end
  end
  table.sort(r, function(a, b)
    return a.lnum < b.lnum
  end)
  return r
end
local function lines_of(ds)
  return table.concat(vim.tbl_map(function(d)
    return tostring(d.lnum + 1)
  end, ds), ',')
end
local function text_at(buf, d)
  return table.concat(vim.api.nvim_buf_get_text(buf, d.lnum, d.col, d.end_lnum, d.end_col, {}), '\n')
end
local function open(rel)
  vim.cmd.edit(vim.fn.fnameescape(root .. '/' .. rel))
  return vim.api.nvim_get_current_buf()
end

------------------------------------------------------------------ steps
local py, client

--- Asks for the quick fixes of diagnostic `d` and applies the one whose title contains `title`.
local function apply_quickfix(buf, d, title)
  local lsp_diag = check(d.user_data and d.user_data.lsp, 'diagnostic has no user_data.lsp')
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' }, triggerKind = 1 },
  }
  local resp, rerr = client:request_sync('textDocument/codeAction', params, TIMEOUT, buf)
  check(resp and not resp.err, 'codeAction failed: %s', vim.inspect(rerr or (resp and resp.err)))
  local fix
  for _, a in ipairs(resp.result or {}) do
    if a.kind == 'quickfix' and (a.title or ''):find(title, 1, true) then
      fix = a
    end
  end
  check(fix, 'no quick fix titled "%s" among %s', title, vim.inspect(vim.tbl_map(function(a)
    return a.title
  end, resp.result or {})))
  if not fix.edit then
    local r = client:request_sync('codeAction/resolve', fix, TIMEOUT, buf)
    check(r and r.result and r.result.edit, 'codeAction/resolve gave no edit')
    fix = r.result
  end
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
end


step('attach to app/main.py', function()
  py = open('app/main.py')
  check(vim.bo[py].filetype == 'python', 'filetype is %q', vim.bo[py].filetype)
  wait_for('the client to attach and initialize', function()
    client = client_for(py)
    return client ~= nil and client.initialized
  end)
  check(client.root_dir == root, 'root_dir %q, expected the fixture root %q', tostring(client.root_dir), root)
  if MODE == 'setup' then
    -- the 0.10 path builds its own config: count pulls/pushes through the client's handlers
    client.handlers['textDocument/publishDiagnostics'] = overrides.handlers['textDocument/publishDiagnostics']
    client.handlers['textDocument/diagnostic'] = overrides.handlers['textDocument/diagnostic']
  end
  log('server %s, offset encoding %s, diagnosticProvider %s', vim.inspect(client.server_info),
    client.offset_encoding, tostring(client.server_capabilities.diagnosticProvider ~= nil))
end)

step('bare-except diagnostic on line 12', function()
  wait_for('a bare-except diagnostic', function()
    return #diags(py, 'bare-except') > 0
  end)
  local d = diags(py, 'bare-except')
  check(#d == 1 and d[1].lnum == 11, 'bare-except on lines %s, expected 12', lines_of(d))
  check(text_at(py, d[1]) == 'except:', 'range covers %q, expected "except:"', text_at(py, d[1]))
  check(d[1].severity == vim.diagnostic.severity.WARN, 'severity %s, expected WARN (priority high)', d[1].severity)
end)

step('quick fix "Catch `Exception` instead" applies and clears the diagnostic', function()
  apply_quickfix(py, diags(py, 'bare-except')[1], 'Exception')
  local line = vim.api.nvim_buf_get_lines(py, 11, 12, false)[1]
  check(line == '    except Exception:', 'line 12 after the fix is %q', line)
  wait_for('bare-except to clear', function()
    return #diags(py, 'bare-except') == 0
  end)
end)

step('incremental edits: lines inserted above and a new bare except below are tracked', function()
  vim.api.nvim_buf_set_lines(py, 0, 0, false, { '"""Orders: charging and refunds. 注文 🚀"""', '' })
  local n = vim.api.nvim_buf_line_count(py)
  vim.api.nvim_buf_set_lines(py, n, n, false, {
    '',
    '',
    'def refund(order_id: int) -> bool:  # 返金 ✨',
    '    try:',
    '        return order_id > 0',
    '    except:',
    '        return False',
  })
  local want = n + 6 -- 1-based line of the new `except:`
  wait_for('bare-except on the new function only (line ' .. want .. ')', function()
    local d = diags(py, 'bare-except')
    return #d == 1 and d[1].lnum + 1 == want
  end)
  local d = diags(py, 'bare-except')[1]
  check(text_at(py, d) == 'except:', 'range covers %q (server and buffer out of step?)', text_at(py, d))
end)

step('mid-line edit: removing " Exception" brings the first finding back', function()
  local lnum = 13 -- 0-based: line 12 of the fixture + the 2 inserted lines - 1
  local line = vim.api.nvim_buf_get_lines(py, lnum, lnum + 1, false)[1]
  local s, e = line:find(' Exception', 1, true)
  check(s, 'line %d is %q', lnum + 1, line)
  vim.api.nvim_buf_set_text(py, lnum, s - 1, lnum, e, {})
  wait_for('bare-except on lines 14 and ' .. (vim.api.nvim_buf_line_count(py) - 1), function()
    local d = diags(py, 'bare-except')
    return #d == 2 and d[1].lnum == lnum and d[2].lnum == vim.api.nvim_buf_line_count(py) - 2
  end)
  for _, d in ipairs(diags(py, 'bare-except')) do
    check(text_at(py, d) == 'except:', 'range covers %q', text_at(py, d))
  end
  local ranged = 0
  for _, p in ipairs(did_change) do
    for _, ch in ipairs(p.contentChanges) do
      ranged = ranged + (ch.range and 1 or 0)
    end
  end
  check(ranged > 0, 'no incremental (ranged) didChange was sent: %d notifications', #did_change)
end)

step(':Shipshape fixall fixes both bare excepts (source.fixAll.shipshape)', function()
  check(#diags(py, 'bare-except') == 2, 'expected 2 findings before fix-all')
  vim.api.nvim_set_current_buf(py)
  vim.cmd('Shipshape fixall')
  wait_for('both bare-except findings to go', function()
    return #diags(py, 'bare-except') == 0
  end)
  local text = table.concat(vim.api.nvim_buf_get_lines(py, 0, -1, false), '\n')
  local _, n = text:gsub('\n    except Exception:\n', '')
  check(n == 2, 'expected two `except Exception:` lines after fix-all, got %d:\n%s', n, text)
end)

step('diagnostics arrive by ' .. (MODE == 'push' and 'push only' or 'pull only'), function()
  if MODE == 'push' then
    check(counts.publish > 0 and counts.pull == 0, 'expected publishDiagnostics only, got %s', vim.inspect(counts))
  else
    check(client.server_capabilities.diagnosticProvider ~= nil, 'server offers no diagnosticProvider')
    check(counts.pull > 0 and counts.publish == 0, 'expected pulls only (never both), got %s', vim.inspect(counts))
  end
end)

step('Dockerfile: attached, with its findings and the --no-cache-dir quick fix', function()
  local df = open('Dockerfile')
  check(vim.bo[df].filetype == 'dockerfile', 'filetype is %q', vim.bo[df].filetype)
  wait_for('the Dockerfile to attach', function()
    return client_for(df) ~= nil and opened[vim.uri_from_bufnr(df)]
  end)
  check(client_for(df).id == client.id, 'the Dockerfile got a second client, not the project one')
  local expect = {}
  for _, id in ipairs({ 'dockerfile-runs-as-root', 'dockerfile-pip-no-cache-dir' }) do
    if have_rule[id] then
      expect[#expect + 1] = id
    end
  end
  if #expect == 0 then
    log('this shipshape has no Dockerfile rules yet: checked attachment only')
    return
  end
  wait_for('Dockerfile diagnostics ' .. table.concat(expect, ', '), function()
    for _, id in ipairs(expect) do
      if #diags(df, id) == 0 then
        return false
      end
    end
    return true
  end)
  if have_rule['dockerfile-pip-no-cache-dir'] then
    apply_quickfix(df, diags(df, 'dockerfile-pip-no-cache-dir')[1], '--no-cache-dir')
    local line = vim.api.nvim_buf_get_lines(df, 3, 4, false)[1]
    check(line == 'RUN pip install --no-cache-dir -r requirements.txt', 'line 4 after the fix is %q', line)
    wait_for('dockerfile-pip-no-cache-dir to clear', function()
      return #diags(df, 'dockerfile-pip-no-cache-dir') == 0 and #diags(df, 'dockerfile-runs-as-root') == 1
    end)
  end
end)

step('project findings: dockerignore-missing in the open Dockerfile'
  .. (MODE == 'push' and ', env-file-not-ignored published for the unopened .env' or ''), function()
  if not have_rule['dockerignore-missing'] then
    log('this shipshape has no project rules yet: skipped')
    return
  end
  local df = vim.fn.bufnr(root .. '/Dockerfile')
  wait_for('dockerignore-missing (a cross-file rule) in the Dockerfile', function()
    return #diags(df, 'dockerignore-missing') == 1
  end)
  if MODE == 'push' and have_rule['env-file-not-ignored'] then
    local env_uri = vim.uri_from_fname(root .. '/.env')
    check(not opened[env_uri], '.env is already open')
    local env = vim.uri_to_bufnr(env_uri)
    wait_for('env-file-not-ignored published for .env before it is opened', function()
      return #diags(env, 'env-file-not-ignored') == 1
    end)
  end
end)

step('compose.yaml and .env attach; an unrelated TOML file does not', function()
  local compose = open('compose.yaml')
  check(vim.bo[compose].filetype == 'yaml.docker-compose', 'compose.yaml filetype is %q', vim.bo[compose].filetype)
  local env = open('.env')
  check(vim.bo[env].filetype == 'sh', '.env filetype is %q', vim.bo[env].filetype)
  local other = open('notes.toml')
  check(vim.bo[other].filetype == 'toml', 'notes.toml filetype is %q', vim.bo[other].filetype)
  local pyproject = open('pyproject.toml')
  wait_for('compose.yaml, .env and pyproject.toml to attach', function()
    return client_for(compose) ~= nil and client_for(env) ~= nil and client_for(pyproject) ~= nil
  end)
  vim.wait(200)
  check(client_for(other) == nil, 'shipshape attached to notes.toml')
end)

step(':Shipshape report', function()
  vim.cmd.buffer(py)
  local cmds = vim.tbl_get(client.server_capabilities, 'executeCommandProvider', 'commands') or {}
  local result, done
  require('shipshape').report(function(err, buf)
    result, done = { err = err, buf = buf }, true
  end)
  wait_for('the report', function()
    return done
  end)
  if vim.tbl_contains(cmds, 'shipshape.report') then
    check(result.buf, 'no report buffer: %s', tostring(result.err))
    check(vim.bo[result.buf].filetype == 'markdown' and vim.bo[result.buf].buftype == 'nofile',
      'report buffer is %s/%s', vim.bo[result.buf].filetype, vim.bo[result.buf].buftype)
    local text = table.concat(vim.api.nvim_buf_get_lines(result.buf, 0, -1, false), '\n')
    check(text:find('except', 1, true), 'the report does not mention the bare except:\n%s', text)
  else
    check(result.err and result.err:find('does not provide the readiness report', 1, true),
      'expected a clear "does not provide" message, got %s', vim.inspect(result))
    log('this server has no shipshape.report: checked the message')
  end
end)

step(':checkhealth shipshape', function()
  vim.cmd('checkhealth shipshape')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  check(text:find('found: shipshape', 1, true) or text:find('` found: ', 1, true), 'binary not reported:\n%s', text)
  check(text:find('client %d+: root ' .. vim.pesc(root)), 'running client not reported:\n%s', text)
  check(not text:find('ERROR', 1, true), 'health reports an error:\n%s', text)
end)

local ok_all = not failed
vim.fn.delete(root, 'rf')
for _, c in ipairs(vim.lsp.get_clients()) do
  server_exit = nil
  c:stop()
end
overrides.on_exit = nil
vim.wait(3000, function()
  return #vim.lsp.get_clients() == 0
end, 20)
for _, c in ipairs(vim.lsp.get_clients()) do
  c:stop(true)
end
watchdog:stop()
log('%s done', MODE)
vim.cmd(ok_all and 'qall!' or 'cquit 1')
