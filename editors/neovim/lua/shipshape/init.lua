-- shipshape for Neovim.
--   Neovim 0.11+: `vim.lsp.enable('shipshape')` uses lsp/shipshape.lua; `setup{}` does the same.
--   Neovim 0.10:  `require('shipshape').setup{}` starts the server from a FileType autocommand.
-- Either way, `:Shipshape report|fixall|restart` and the filetype detection of plugin/shipshape.lua.
local files = require('shipshape.files')

local M = {}

local NAME = 'shipshape'
local REPORT = 'shipshape.report'

---@class shipshape.Opts
---@field path? string          the shipshape executable (default: vim.g.shipshape_path or `shipshape` on PATH)
---@field settings? table       the `shipshape` settings section: { enable?, rules = { [rule_id] = 'off'|'hint'|'info'|'warning'|'error' } }
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities? table
---@field use_enable? boolean   use vim.lsp.config/enable (default: true on 0.11+)

local function clients(bufnr)
  local found = vim.lsp.get_clients({ name = NAME, bufnr = bufnr })
  if #found == 0 and bufnr then
    found = vim.lsp.get_clients({ name = NAME })
  end
  return found
end

local function notify(msg, level)
  vim.notify('shipshape: ' .. msg, level or vim.log.levels.INFO)
end

local function call(client, method, ...)
  if vim.fn.has('nvim-0.11') == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

--- The report's markdown from a `shipshape.report` result: a string or `{ markdown = ... }`.
function M.report_markdown(result)
  if type(result) == 'string' then
    return result
  elseif type(result) == 'table' and type(result.markdown) == 'string' then
    return result.markdown
  end
end

--- Opens `markdown` in a scratch buffer (a new split) and returns its number.
function M.open_scratch(markdown)
  vim.cmd('botright new')
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  pcall(vim.api.nvim_buf_set_name, buf, 'shipshape://report')
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(markdown, '\n', { plain = true }))
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = 'markdown'
  return buf
end

--- `:Shipshape report`: asks the server for the readiness report and shows it in a scratch buffer.
---@param cb? fun(err?: string, buf?: integer)
function M.report(cb)
  cb = cb or function(err)
    if err then
      notify(err, vim.log.levels.WARN)
    end
  end
  local client = clients(vim.api.nvim_get_current_buf())[1]
  if not client then
    return cb('no shipshape server is running (open a Python file, or see :checkhealth vim.lsp)')
  end
  local cmds = vim.tbl_get(client.server_capabilities, 'executeCommandProvider', 'commands') or {}
  if not vim.tbl_contains(cmds, REPORT) then
    local v = client.server_info and client.server_info.version
    return cb(('this server (%s) does not provide the readiness report (no `%s` command); update shipshape')
      :format(v and ('version ' .. v) or 'unknown version', REPORT))
  end
  call(client, 'request', 'workspace/executeCommand', { command = REPORT, arguments = {} }, function(err, result)
    if err then
      return cb('the readiness report failed: ' .. (err.message or vim.inspect(err)))
    end
    local md = M.report_markdown(result)
    if not md then
      return cb('the server answered the report command without markdown')
    end
    cb(nil, M.open_scratch(md))
  end)
end

--- `:Shipshape fixall`: applies the server's `source.fixAll.shipshape` action to the current buffer.
function M.fix_all()
  vim.lsp.buf.code_action({
    context = { only = { 'source.fixAll.shipshape' }, diagnostics = {} },
    apply = true,
    filter = function(action)
      return action.kind == 'source.fixAll.shipshape'
    end,
  })
end

function M.restart()
  local bufs = {}
  for _, c in ipairs(vim.lsp.get_clients({ name = NAME })) do
    for b in pairs(c.attached_buffers) do
      bufs[#bufs + 1] = b
    end
    call(c, 'stop')
  end
  vim.defer_fn(function()
    for _, b in ipairs(bufs) do
      if vim.api.nvim_buf_is_valid(b) then
        vim.api.nvim_exec_autocmds('FileType', { buffer = b })
      end
    end
  end, 500)
end

local function start_legacy(bufnr, config)
  if not files.wants(bufnr) then
    return
  end
  local path = vim.api.nvim_buf_get_name(bufnr)
  local cfg = vim.deepcopy(config)
  cfg.root_dir = vim.fs.root(bufnr, files.root_markers) or vim.fs.dirname(path)
  vim.lsp.start(cfg, { bufnr = bufnr })
end

---@param opts? shipshape.Opts
function M.setup(opts)
  opts = opts or {}
  local exe = opts.path or vim.g.shipshape_path or 'shipshape'
  if vim.fn.executable(exe) ~= 1 then
    notify(('`%s` is not executable. Install shipshape (cargo install --locked --path server/shipshape) '
      .. 'and put it on PATH, or pass its full path: require("shipshape").setup{ path = "/path/to/shipshape" }')
      :format(exe), vim.log.levels.ERROR)
    return
  end
  local settings = vim.tbl_deep_extend('force', { enable = true }, opts.settings or {})
  if settings.enable == false then
    return
  end
  local use_enable = opts.use_enable
  if use_enable == nil then
    use_enable = vim.lsp.enable ~= nil and vim.lsp.config ~= nil
  end
  local config = {
    name = NAME,
    cmd = { exe, 'server' },
    settings = { shipshape = settings },
    init_options = settings,
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
  if use_enable then
    vim.lsp.config(NAME, config)
    vim.lsp.enable(NAME)
    return
  end
  -- Neovim 0.10: start (or reuse, by name and root) a client for every buffer shipshape reads.
  config.filetypes = files.filetypes
  local group = vim.api.nvim_create_augroup('shipshape.start', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = files.filetypes,
    callback = function(ev)
      start_legacy(ev.buf, config)
    end,
  })
  for _, b in ipairs(vim.api.nvim_list_bufs()) do -- buffers opened before setup()
    if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(files.filetypes, vim.bo[b].filetype) then
      start_legacy(b, config)
    end
  end
end

return M
