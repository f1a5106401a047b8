-- Optional: apply dlint's safe fixes (`source.fixAll.dlint`) before a Dockerfile is written.
-- Synchronous, so that the fixes are in what gets written. Neovim 0.10+.
vim.api.nvim_create_autocmd('BufWritePre', {
  pattern = { 'Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile', 'Containerfile.*' },
  callback = function(args)
    for _, client in ipairs(vim.lsp.get_clients({ bufnr = args.buf, name = 'dlint' })) do
      local params = {
        textDocument = vim.lsp.util.make_text_document_params(args.buf),
        range = {
          start = { line = 0, character = 0 },
          ['end'] = { line = vim.api.nvim_buf_line_count(args.buf), character = 0 },
        },
        context = { only = { 'source.fixAll.dlint' }, diagnostics = {} },
      }
      local response
      if vim.fn.has('nvim-0.11') == 1 then
        response = client:request_sync('textDocument/codeAction', params, 2000, args.buf)
      else
        response = client.request_sync('textDocument/codeAction', params, 2000, args.buf)
      end
      for _, action in ipairs(response and response.result or {}) do
        if action.edit then
          vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        end
      end
    end
  end,
})
