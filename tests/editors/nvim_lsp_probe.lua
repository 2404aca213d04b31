-- Drives Neovim (0.7+) headless as a real LSP client of fastapi-patterns.
-- Opens FP_FILE, waits for diagnostics, asks for code actions on the first diagnostic with code FP_CODE,
-- applies the preferred quick fix, and writes what it saw as JSON to FP_OUT. Exits 0 or 1 (never hangs).
local out_path = os.getenv('FP_OUT')
local file = os.getenv('FP_FILE')
local want_code = os.getenv('FP_CODE')
local python = os.getenv('FP_PYTHON')
local result = { diagnostics = nil, actions = {}, applied = nil, text_after = nil, error = nil,
                 encoding = nil }

local function finish(code)
  local handle = io.open(out_path, 'w')
  handle:write(vim.fn.json_encode(result))
  handle:close()
  if code == 0 then vim.cmd('qa!') else vim.cmd('cq') end
end

vim.defer_fn(function()
  result.error = result.error or 'timed out'
  finish(1)
end, 45000)

local ok, err = pcall(function()
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
  local client_id = vim.lsp.start_client({
    cmd = { python, '-m', 'fastapi_patterns' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, params, ctx, config)
        if params.uri == vim.uri_from_bufnr(bufnr) and #params.diagnostics > 0 and result.diagnostics == nil then
          result.diagnostics = params.diagnostics
        end
        return default_handler(e, params, ctx, config)
      end,
    },
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  local waited = vim.wait(30000, function() return result.diagnostics ~= nil end, 50)
  if not waited then error('no diagnostics received') end
  local client = vim.lsp.get_client_by_id(client_id)
  result.encoding = client.offset_encoding
  local target = nil
  for _, d in ipairs(result.diagnostics) do
    if d.code == want_code then target = d break end
  end
  if target == nil then error('no diagnostic with code ' .. want_code) end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = target.range,
    context = { diagnostics = { target }, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000)
  if responses == nil then error('code action request timed out') end
  local chosen = nil
  for _, response in pairs(responses) do
    if response.err then error('code action error: ' .. vim.inspect(response.err)) end
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, action.title)
      if chosen == nil and action.isPreferred and action.edit then chosen = action end
    end
  end
  if chosen == nil then error('no preferred quick fix') end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
  result.applied = chosen.title
  result.text_after = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  vim.lsp.stop_client(client_id)
end)
if not ok then
  result.error = tostring(err)
  finish(1)
else
  finish(0)
end
