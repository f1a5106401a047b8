-- A real editor as the LSP client: headless Neovim starts `dlint server`, opens a Dockerfile,
-- waits for its diagnostics (pushed to Neovim 0.7-0.9, pulled by 0.10+), hovers, applies a
-- quick fix and fix-all (on 0.11+ through the shipped config's fix-on-save) as a user would, waits for the diagnostics to follow the
-- edits, asks for keyword hover, completion and symbols, writes a dlint.toml and waits for the
-- findings to follow, shuts the server down and checks that it exited. Everything it saw is written as
-- JSON for the Rust test (tests/nvim_e2e.rs) to check.
--
--   DLINT_BIN=path/to/dlint LSP_FILE=Dockerfile LSP_OUT=out.json [DLINT_NVIM_CONFIG=editors/nvim] \
--     nvim --headless --clean -c "luafile tests/e2e/nvim_lsp.lua"
--
-- Works on Neovim 0.7 (Debian bookworm) through 0.11+.
local bin = os.getenv("DLINT_BIN") or "dlint"
local file = os.getenv("LSP_FILE") or "Dockerfile"
local out = os.getenv("LSP_OUT") or "nvim-lsp.json"
local timeout = tonumber(os.getenv("LSP_TIMEOUT_MS") or "20000")
local root = vim.fn.fnamemodify(file, ":p:h")
local new_api = vim.fn.has("nvim-0.11") == 1 -- client methods take `self` (client:request_sync)

local v = vim.version()
local result = { nvim_version = v.major .. "." .. v.minor .. "." .. v.patch, transport = vim.NIL, steps = {} }
local function step(name) table.insert(result.steps, name) end
local raw = {} -- the last LSP diagnostics the server sent, by code, exactly as sent
local function remember(list)
  raw = {}
  for _, d in ipairs(list or {}) do raw[d.code] = d end
end

local config = {
  name = "dlint",
  cmd = { bin, "server" },
  root_dir = root,
  handlers = {
    ["textDocument/publishDiagnostics"] = function(err, params, ctx, cfg)
      result.transport = "push"
      remember(params and params.diagnostics)
      return vim.lsp.handlers["textDocument/publishDiagnostics"](err, params, ctx, cfg)
    end,
    ["textDocument/diagnostic"] = function(err, res, ctx, cfg)
      result.transport = "pull"
      if res and res.kind == "full" then remember(res.items) end
      return vim.lsp.handlers["textDocument/diagnostic"](err, res, ctx, cfg)
    end,
  },
  on_exit = function(code, signal) result.server_exit = { code = code, signal = signal } end,
}

-- With DLINT_NVIM_CONFIG set (Neovim 0.11+), the configuration shipped in editors/nvim is the
-- one under test: lsp/dlint.lua through `vim.lsp.enable`, and fix-on-save.lua.
-- They attach on the FileType event, so they are set up before the file is opened.
local shipped = os.getenv("DLINT_NVIM_CONFIG")
local use_shipped = shipped ~= nil and vim.lsp.config ~= nil and vim.lsp.enable ~= nil
if use_shipped then
  vim.opt.runtimepath:append(shipped)
  dofile(shipped .. "/fix-on-save.lua")
  vim.lsp.config("dlint", { cmd = config.cmd, handlers = config.handlers, on_exit = config.on_exit })
  vim.lsp.enable("dlint")
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = "dockerfile"

local client_id
if use_shipped then
  result.shipped_config = true
  vim.wait(timeout, function() return #vim.lsp.get_clients({ bufnr = bufnr, name = "dlint" }) > 0 end, 20)
  local attached = vim.lsp.get_clients({ bufnr = bufnr, name = "dlint" })[1]
  client_id = attached and attached.id
elseif vim.lsp.start then -- Neovim >= 0.8
  client_id = vim.lsp.start(config, { bufnr = bufnr })
else -- Neovim 0.7
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(bufnr, client_id)
end

local function get_client() return vim.lsp.get_client_by_id(client_id) end
local function request(method, params)
  local client = get_client()
  if not client then return { error = "no client" } end
  local resp, err
  if new_api then
    resp, err = client:request_sync(method, params, timeout, bufnr)
  else
    resp, err = client.request_sync(method, params, timeout, bufnr)
  end
  if not resp then return { error = tostring(err) } end
  if resp.err then return { error = resp.err } end
  return resp.result == nil and vim.NIL or resp.result
end
local function diagnostics()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source, code = d.code })
  end
  table.sort(list, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    return a.col < b.col
  end)
  return list
end
local function has_code(code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then return true end
  end
  return false
end
local function buffer_text() return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") end
local function apply(action)
  local client = get_client()
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
end
-- The LSP diagnostic for a code, as the server sent it.
local function lsp_diagnostic(code) return raw[code] end

result.initialized = vim.wait(timeout, function()
  local c = get_client()
  return c ~= nil and c.initialized == true
end, 20)
local client = get_client()
result.offset_encoding = client and client.offset_encoding or vim.NIL
result.server_capabilities = client and client.server_capabilities or vim.NIL
step("initialized")

vim.wait(timeout, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
result.diagnostics = diagnostics()
step("diagnostics")

-- Hover over the first finding.
local first = result.diagnostics[1]
if first then
  result.hover = request("textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = first.lnum, character = first.col },
  })
end
step("hover")

-- Editor features: documentation on an instruction keyword, completion, stages as symbols.
local uri = vim.uri_from_bufnr(bufnr)
result.keyword_hover = request("textDocument/hover", { textDocument = { uri = uri }, position = { line = 0, character = 1 } })
result.symbols = request("textDocument/documentSymbol", { textDocument = { uri = uri } })
result.completion = request("textDocument/completion", { textDocument = { uri = uri }, position = { line = 1, character = 2 } })
step("features")

-- Quick fix for DL3042, chosen by title and applied like `vim.lsp.buf.code_action()` does.
local pip = lsp_diagnostic("DL3042")
if pip then
  local actions = request("textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = pip.range,
    context = { diagnostics = { pip }, only = { "quickfix" } },
  })
  result.quick_fix_titles = {}
  local chosen
  if type(actions) == "table" then
    for _, action in ipairs(actions) do
      table.insert(result.quick_fix_titles, action.title)
      if not chosen and action.title:find("^Fix DL3042") then chosen = action end
    end
  end
  if chosen then
    apply(chosen)
    result.after_quick_fix = buffer_text()
    result.diagnostics_follow_quick_fix = vim.wait(timeout, function() return not has_code("DL3042") end, 20)
    result.diagnostics_after_quick_fix = diagnostics()
  end
end
step("quick fix")

-- Fix all: through the shipped fix-on-save autocommand (`:write`), or asked for directly.
if result.shipped_config then
  vim.cmd("silent write")
  result.after_fix_all = buffer_text()
  local f = io.open(vim.api.nvim_buf_get_name(bufnr), "r")
  result.written_file = f and f:read("*a") or vim.NIL
  if f then f:close() end
else
  local fix_all = request("textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
    context = { diagnostics = {}, only = { "source.fixAll.dlint" } },
  })
  if type(fix_all) == "table" and fix_all[1] then apply(fix_all[1]) end
  result.after_fix_all = buffer_text()
end
result.diagnostics_follow_fix_all = vim.wait(timeout, function() return not has_code("DL3009") end, 20)
result.diagnostics_after_fix_all = diagnostics()
step("fix all")

-- A configuration file written on disk, the Dockerfile untouched: the findings follow.
if has_code("DL3008") then
  local f = assert(io.open(root .. "/dlint.toml", "w"))
  f:write('[lint]\nignore = ["DL3008"]\n')
  f:close()
  result.config_change_applied = vim.wait(timeout, function() return not has_code("DL3008") and has_code("DL3006") end, 20)
  result.diagnostics_after_config_change = diagnostics()
end
step("config change")

-- Graceful shutdown: `stop` sends shutdown then exit; the server must exit by itself, with 0.
client = get_client()
if client then
  if new_api then client:stop() else client.stop() end
end
local exited = vim.wait(10000, function() return result.server_exit ~= nil end, 20)
if not exited then
  result.server_exit = "did not exit within 10 s after shutdown and exit"
  client = get_client()
  if client then
    if new_api then client:stop(true) else client.stop(true) end
  end
end
step("shutdown")

local f = assert(io.open(out, "w"))
f:write(vim.json and vim.json.encode(result) or vim.fn.json_encode(result))
f:close()
vim.cmd(exited and "qa!" or "cq")
