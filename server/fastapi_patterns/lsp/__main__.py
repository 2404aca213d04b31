"""`python -m fastapi_patterns.lsp`: the language server on stdio."""

from . import serve

if __name__ == "__main__":
    raise SystemExit(serve("stdio"))
