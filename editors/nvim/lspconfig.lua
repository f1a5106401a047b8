-- dlint's language server with nvim-lspconfig (Neovim 0.8+, and lspconfig versions that do
-- not ship a `dlint` entry yet). Source this file from your init.lua, or copy its contents.
local configs = require('lspconfig.configs')
local util = require('lspconfig.util')

if not configs.dlint then
  configs.dlint = {
    default_config = {
      cmd = { 'dlint', 'server' },
      filetypes = { 'dockerfile' },
      root_dir = util.root_pattern('dlint.toml', '.dlint.toml', '.git'),
      single_file_support = true,
    },
    docs = {
      description = 'dlint: Dockerfile linter and rewriter (https://github.com/dlint-dev/dlint)',
    },
  }
end

require('lspconfig').dlint.setup({})
