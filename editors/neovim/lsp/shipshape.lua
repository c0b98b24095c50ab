-- shipshape: deployment-readiness review for Python services, as a language server.
-- Neovim 0.11+: this file works on its own (it needs nothing else from the shipshape plugin, so it
-- can be copied into nvim-lspconfig's lsp/ folder or your config's): `vim.lsp.enable('shipshape')`
-- is all it takes once `shipshape` is installed (`pip install shipshape-cli`, `uv tool install
-- shipshape-cli`, or `:MasonInstall shipshape`).
-- Override anything with `vim.lsp.config('shipshape', { ... })`, e.g.
--   vim.lsp.config('shipshape', { cmd = { '/opt/shipshape/bin/shipshape', 'server' } })
--   vim.lsp.config('shipshape', { settings = { shipshape = { rules = { ['print-in-service-code'] = 'off' } } } })
-- The executable is `vim.g.shipshape_path` when set (read when this file is loaded), else `shipshape` on PATH.
--
-- Which buffers shipshape reads: filetypes alone are too wide (every YAML, TOML, JSON and sh
-- buffer) or too narrow (compose and .env files have no filetype of their own everywhere), so the
-- file name decides, and for YAML the content (a top-level `services:` mapping). The plugin's
-- lua/shipshape/files.lua reads these rules from here.

local filetypes = {
  'python',
  'dockerfile',
  'yaml',
  'yaml.docker-compose', -- compose files
  'toml', -- pyproject.toml, fly.toml, railway.toml, shipshape.toml
  'json', -- railway.json
  'requirements', -- requirements*.txt, requirements/*.txt, constraints.txt
  'sh', -- the filetype Neovim gives `.env` files (and the plugin gives `.env.*`)
  'gitignore', -- .gitignore, .dockerignore
  'procfile', -- Procfile (the plugin gives it that filetype)
}

-- Markers of a project root, nearest first.
local root_markers = {
  'shipshape.toml',
  'pyproject.toml',
  'setup.py',
  'requirements.txt',
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
  'Dockerfile',
  '.git',
}

local function is_compose_name(name)
  local stem = name:lower():match('^(.*)%.ya?ml$')
  if not stem then
    return false
  end
  return stem == 'compose'
    or stem == 'docker-compose'
    or stem:find('^docker%-compose[.-]') ~= nil
    or stem:find('^compose%.') ~= nil
end

local function is_dotenv_name(name)
  name = name:lower()
  return name == '.env' or name:find('^%.env%.') ~= nil or name:find('%.env$') ~= nil
end

local function looks_like_compose(bufnr)
  for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, 200, false)) do
    if line:find('^services:%s*$') or line:find('^services:%s*#') then
      return true
    end
  end
  return false
end

-- Whether shipshape should read this buffer.
local function wants(bufnr)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then
    return false
  end
  local name = vim.fs.basename(path):lower()
  local ft = vim.bo[bufnr].filetype
  if ft == 'python' or ft == 'dockerfile' or ft == 'requirements' or ft == 'yaml.docker-compose' then
    return true
  elseif ft == 'yaml' then
    return is_compose_name(name) or path:find('/%.github/workflows/[^/]+%.ya?ml$') ~= nil or looks_like_compose(bufnr)
  elseif ft == 'toml' then
    return name == 'pyproject.toml' or name == 'fly.toml' or name == 'railway.toml' or name == 'shipshape.toml'
  elseif ft == 'json' then
    return name == 'railway.json'
  elseif ft == 'sh' then
    return is_dotenv_name(name)
  elseif ft == 'gitignore' then
    return name == '.gitignore' or name == '.dockerignore'
  elseif ft == 'procfile' then
    return name == 'procfile'
  end
  return false
end

---@type vim.lsp.Config
return {
  cmd = { vim.g.shipshape_path or 'shipshape', 'server' },
  filetypes = filetypes,
  root_markers = root_markers,
  -- A function root_dir (Neovim 0.11) lets shipshape decline buffers: of the generic filetypes
  -- (yaml, toml, json, sh) only compose files, workflows, pyproject/fly/railway files and `.env*`
  -- are read. It calls `on_dir` only for a buffer shipshape reads.
  root_dir = function(bufnr, on_dir)
    if not wants(bufnr) then
      return
    end
    local path = vim.api.nvim_buf_get_name(bufnr)
    on_dir(vim.fs.root(bufnr, root_markers) or vim.fs.dirname(path))
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
