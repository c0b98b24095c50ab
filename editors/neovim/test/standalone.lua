-- lsp/shipshape.lua on its own, as nvim-lspconfig or a user's config would carry it: only that file
-- on 'runtimepath' (none of lua/shipshape/*, no plugin/), then `vim.lsp.enable('shipshape')`.
--
--   nvim --headless --clean -l standalone.lua
--
-- Env: SHIPSHAPE_BIN, E2E_PLUGIN, E2E_FIXTURE as for e2e.lua. stdout: `PASS standalone <step>` or
-- `FAIL standalone <step>: <why>` lines; run.sh counts them.
for _, p in ipairs({ 'python3', 'node', 'perl', 'ruby' }) do
  vim.g['loaded_' .. p .. '_provider'] = 0
end
local BIN = assert(os.getenv('SHIPSHAPE_BIN'), 'SHIPSHAPE_BIN is not set')
local PLUGIN = assert(os.getenv('E2E_PLUGIN'), 'E2E_PLUGIN is not set')
local FIXTURE = assert(os.getenv('E2E_FIXTURE'), 'E2E_FIXTURE is not set')
local TIMEOUT = tonumber(os.getenv('E2E_TIMEOUT_MS')) or 15000

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end
local failed = false
local function step(name, fn)
  if failed then
    return
  end
  local ok, err = pcall(fn)
  if ok then
    out('PASS standalone ' .. name)
  else
    failed = true
    out('FAIL standalone ' .. name .. ': ' .. tostring(err))
  end
end

-- Only the one file, copied where nothing else of the plugin is.
local rtp = vim.fn.tempname() .. '-standalone'
vim.fn.mkdir(rtp .. '/lsp', 'p')
vim.fn.writefile(vim.fn.readfile(PLUGIN .. '/lsp/shipshape.lua', 'b'), rtp .. '/lsp/shipshape.lua', 'b')
local root = vim.fn.tempname() .. '-standalone-ws'
vim.fn.mkdir(root, 'p')
vim.fn.system({ 'cp', '-R', FIXTURE .. '/.', root })
root = vim.uv.fs_realpath(root)
vim.opt.runtimepath:prepend(rtp)
vim.g.shipshape_path = BIN
vim.cmd('filetype on')

local function client_for(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = 'shipshape' })[1]
end

step('the shipshape plugin modules are not on runtimepath', function()
  assert(#vim.api.nvim_get_runtime_file('lua/shipshape/files.lua', false) == 0, 'lua/shipshape/files.lua is reachable')
  assert(not pcall(require, 'shipshape.files'), 'require("shipshape.files") works, so this is not standalone')
end)

vim.lsp.enable('shipshape')

local py
step('a Python file attaches and gets shipshape diagnostics', function()
  vim.cmd.edit(root .. '/app/main.py')
  py = vim.api.nvim_get_current_buf()
  assert(vim.wait(TIMEOUT, function()
    return client_for(py) ~= nil
  end, 10), 'no shipshape client attached to app/main.py')
  assert(client_for(py).root_dir == root, 'root_dir is ' .. tostring(client_for(py).root_dir) .. ', not ' .. root)
  assert(vim.wait(TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(py)) do
      if d.source == 'shipshape' and d.code == 'bare-except' then
        return true
      end
    end
    return false
  end, 10), 'no bare-except diagnostic from shipshape on app/main.py')
end)

step('the compose file attaches; a TOML file that is not a project file does not', function()
  vim.cmd.edit(root .. '/compose.yaml')
  local compose = vim.api.nvim_get_current_buf()
  assert(vim.wait(TIMEOUT, function()
    return client_for(compose) ~= nil
  end, 10), 'no shipshape client attached to compose.yaml (filetype ' .. vim.bo[compose].filetype .. ')')
  vim.cmd.edit(root .. '/notes.toml')
  local notes = vim.api.nvim_get_current_buf()
  assert(vim.bo[notes].filetype == 'toml', 'notes.toml has filetype ' .. vim.bo[notes].filetype)
  vim.wait(300)
  assert(client_for(notes) == nil, 'shipshape attached to notes.toml')
end)

for _, c in ipairs(vim.lsp.get_clients({ name = 'shipshape' })) do
  c:stop()
end
vim.wait(2000, function()
  return #vim.lsp.get_clients({ name = 'shipshape' }) == 0
end, 10)
os.exit(failed and 1 or 0)
