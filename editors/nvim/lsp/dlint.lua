-- dlint's language server for Neovim 0.11+ (`vim.lsp.config`): put this file on the
-- runtimepath as `lsp/dlint.lua` (for example ~/.config/nvim/lsp/dlint.lua), then
-- `vim.lsp.enable('dlint')`.
return {
  cmd = { 'dlint', 'server' },
  filetypes = { 'dockerfile' },
  root_markers = { 'dlint.toml', '.dlint.toml', '.git' },
}
