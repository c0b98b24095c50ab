-- Loaded once from 'runtimepath': filetype detection for compose, `.env*`, requirements files and
-- Procfiles, and the :Shipshape command. Starting the server is `vim.lsp.enable('shipshape')` (0.11+) or
-- `require('shipshape').setup{}`.
if vim.g.loaded_shipshape then
  return
end
vim.g.loaded_shipshape = true

require('shipshape.files').add_filetypes()

local subcommands = {
  report = function()
    require('shipshape').report()
  end,
  fixall = function()
    require('shipshape').fix_all()
  end,
  restart = function()
    require('shipshape').restart()
  end,
}

vim.api.nvim_create_user_command('Shipshape', function(cmd)
  local sub = subcommands[cmd.fargs[1] or 'report']
  if not sub then
    vim.notify('shipshape: unknown subcommand ' .. cmd.fargs[1] .. ' (report, fixall, restart)', vim.log.levels.ERROR)
    return
  end
  sub()
end, {
  nargs = '?',
  desc = 'shipshape: report | fixall | restart',
  complete = function()
    return vim.tbl_keys(subcommands)
  end,
})
