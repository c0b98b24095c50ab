-- Which buffers shipshape reads. Filetypes alone are too wide (every YAML, TOML, JSON and sh
-- buffer) or too narrow (compose and .env files have no filetype of their own in Neovim), so
-- the file name decides, and for YAML the content (a top-level `services:` mapping).
local M = {}

--- The filetypes shipshape attaches to; `wants()` narrows the generic ones by name.
M.filetypes = {
  'python',
  'dockerfile',
  'yaml',
  'yaml.docker-compose', -- compose files (set by this plugin's filetype detection)
  'toml', -- pyproject.toml, fly.toml, railway.toml, shipshape.toml
  'json', -- railway.json
  'requirements', -- requirements*.txt, requirements/*.txt, constraints.txt
  'sh', -- the filetype Neovim gives `.env` files (and this plugin gives `.env.*`)
  'gitignore', -- .gitignore, .dockerignore
}

--- Markers of a project root, nearest first.
M.root_markers = {
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

local function lower_name(path)
  return vim.fs.basename(path):lower()
end

function M.is_compose_name(name)
  name = name:lower()
  local stem = name:match('^(.*)%.ya?ml$')
  if not stem then
    return false
  end
  return stem == 'compose'
    or stem == 'docker-compose'
    or stem:find('^docker%-compose[.-]') ~= nil
    or stem:find('^compose%.') ~= nil
end

function M.is_dotenv_name(name)
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

--- Whether shipshape should read this buffer.
function M.wants(bufnr)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then
    return false
  end
  local name = lower_name(path)
  local ft = vim.bo[bufnr].filetype
  if ft == 'python' or ft == 'dockerfile' or ft == 'requirements' or ft == 'yaml.docker-compose' then
    return true
  elseif ft == 'yaml' then
    return M.is_compose_name(name) or path:find('/%.github/workflows/[^/]+%.ya?ml$') ~= nil or looks_like_compose(bufnr)
  elseif ft == 'toml' then
    return name == 'pyproject.toml' or name == 'fly.toml' or name == 'railway.toml' or name == 'shipshape.toml'
  elseif ft == 'json' then
    return name == 'railway.json'
  elseif ft == 'sh' then
    return M.is_dotenv_name(name)
  elseif ft == 'gitignore' then
    return name == '.gitignore' or name == '.dockerignore'
  end
  return false
end

--- Filetype detection for the files Neovim does not recognise (or recognises too loosely).
function M.add_filetypes()
  vim.filetype.add({
    filename = {
      ['compose.yaml'] = 'yaml.docker-compose',
      ['compose.yml'] = 'yaml.docker-compose',
      ['docker-compose.yaml'] = 'yaml.docker-compose',
      ['docker-compose.yml'] = 'yaml.docker-compose',
      ['.env'] = 'sh',
      ['.dockerignore'] = 'gitignore',
    },
    pattern = {
      ['.*/docker%-compose[.-].*%.ya?ml'] = 'yaml.docker-compose',
      ['.*/compose%..*%.ya?ml'] = 'yaml.docker-compose',
      ['%.env%..*'] = 'sh',
      ['.*/.*requirements.*%.txt'] = 'requirements',
      ['.*/.*requirements.*%.in'] = 'requirements',
      ['.*/requirements/.*%.txt'] = 'requirements',
    },
  })
end

return M
