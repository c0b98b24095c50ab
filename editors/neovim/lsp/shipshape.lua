-- shipshape: deployment-readiness review for Python services, as a language server.
-- Neovim 0.11+: with this plugin on 'runtimepath', `vim.lsp.enable('shipshape')` is all it takes.
-- Override anything with `vim.lsp.config('shipshape', { ... })`, e.g.
--   vim.lsp.config('shipshape', { cmd = { '/opt/shipshape/bin/shipshape', 'server' } })
--   vim.lsp.config('shipshape', { settings = { shipshape = { rules = { ['print-in-service-code'] = 'off' } } } })
-- The executable is `vim.g.shipshape_path` when set (read when this file is loaded), else `shipshape` on PATH.
local ok, files = pcall(require, 'shipshape.files')

local markers = ok and files.root_markers
  or { 'shipshape.toml', 'pyproject.toml', 'setup.py', 'requirements.txt', 'Dockerfile', '.git' }

---@type vim.lsp.Config
return {
  cmd = { vim.g.shipshape_path or 'shipshape', 'server' },
  filetypes = ok and files.filetypes
    or { 'python', 'dockerfile', 'yaml', 'yaml.docker-compose', 'toml', 'json', 'requirements', 'sh', 'gitignore' },
  root_markers = markers,
  -- A function root_dir (Neovim 0.11) lets shipshape decline buffers: of the generic filetypes
  -- (yaml, toml, json, sh) only compose files, pyproject/fly/railway files and `.env*` are read.
  root_dir = function(bufnr, on_dir)
    if ok and not files.wants(bufnr) then
      return
    end
    local path = vim.api.nvim_buf_get_name(bufnr)
    on_dir(vim.fs.root(bufnr, markers) or vim.fs.dirname(path))
  end,
  -- The server reads the `shipshape` section (workspace/configuration, didChangeConfiguration) and,
  -- at start, initializationOptions: the same object.
  settings = { shipshape = vim.empty_dict() },
  before_init = function(params, config)
    if params.initializationOptions == nil then
      params.initializationOptions = vim.tbl_get(config, 'settings', 'shipshape') or vim.empty_dict()
    end
  end,
}
