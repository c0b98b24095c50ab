-- Which buffers shipshape reads (for the Neovim 0.10 `setup{}` path and the plugin's filetype
-- detection).
local M = {}

-- The selection rules live in lsp/shipshape.lua, which must work on its own (nvim-lspconfig, a
-- copy in one's config); read them from this plugin's copy of it. Its `root_dir` calls `on_dir`
-- exactly for the buffers shipshape reads.
local here = debug.getinfo(1, 'S').source:sub(2)
local config = dofile(vim.fs.joinpath(vim.fs.dirname(here), '..', '..', 'lsp', 'shipshape.lua'))

--- The filetypes shipshape attaches to; `wants()` narrows the generic ones by name.
M.filetypes = config.filetypes

--- Markers of a project root, nearest first.
M.root_markers = config.root_markers

--- Whether shipshape should read this buffer.
function M.wants(bufnr)
  local wanted = false
  config.root_dir(bufnr, function()
    wanted = true
  end)
  return wanted
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
      ['Procfile'] = 'procfile',
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
