-- :checkhealth shipshape
local M = {}

function M.check()
  local h = vim.health
  h.start('shipshape')
  if vim.fn.has('nvim-0.10') ~= 1 then
    h.error('Neovim 0.10 or newer is required')
  elseif vim.fn.has('nvim-0.11') == 1 then
    h.ok('Neovim 0.11+: `vim.lsp.enable("shipshape")` uses lsp/shipshape.lua')
  else
    h.ok('Neovim 0.10: use `require("shipshape").setup{}`')
  end
  local exe = vim.g.shipshape_path or 'shipshape'
  if vim.fn.executable(exe) == 1 then
    local version = vim.fn.system({ exe, '--version' })
    h.ok(('`%s` found: %s'):format(vim.fn.exepath(exe), vim.trim(version)))
  else
    h.error(('`%s` is not executable'):format(exe), {
      'Install it: cargo install --locked --path server/shipshape (in a checkout of shipshape)',
      'or set vim.g.shipshape_path / setup{ path = ... } to its full path',
    })
  end
  local clients = vim.lsp.get_clients({ name = 'shipshape' })
  if #clients == 0 then
    h.info('no shipshape client is running (open a Python file in a project)')
  end
  for _, c in ipairs(clients) do
    local cmds = vim.tbl_get(c.server_capabilities, 'executeCommandProvider', 'commands') or {}
    h.ok(('client %d: root %s, %d buffer(s), diagnostics by %s, report %s'):format(c.id, tostring(c.root_dir),
      vim.tbl_count(c.attached_buffers), c.server_capabilities.diagnosticProvider and 'pull' or 'push',
      vim.tbl_contains(cmds, 'shipshape.report') and 'available' or 'not provided by this server'))
  end
end

return M
