"""`python -m fastapi_patterns.lsp`: the language server on stdio."""

from . import serve

raise SystemExit(serve("stdio"))
