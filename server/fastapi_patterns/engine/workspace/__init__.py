"""The cross-file workspace index: module summaries, name resolution across modules, and the route table.

Pure like the rest of the engine: it reads source text and marker files only, never imports or runs the user's
code, and knows nothing of editors. `layout` finds project roots and module names, `summarize` (with
`references` and `code_facts`) turns one module into a `ModuleSummary`, `resolve` follows names across modules,
`routes` builds the route table, `calls` follows calls, and `index` keeps it all current file by file.
"""

from .calls import BlockingChain, CallSite, ChainStep, blocking_chain, callers_of
from .index import IndexedFile, SummaryCache, WorkspaceIndex, build_index, content_hash
from .layout import ProjectLayout
from .resolve import Resolver, Target
from .routes import Route, RouterLink
from .summarize import summarize
from .summary import ModuleSummary, Ref, RefKind, RouteDeclaration, TextRange

__all__ = [
    "BlockingChain", "CallSite", "ChainStep", "IndexedFile", "ModuleSummary", "ProjectLayout", "Ref", "RefKind",
    "Resolver", "Route", "RouteDeclaration", "RouterLink", "SummaryCache", "Target", "TextRange", "WorkspaceIndex",
    "blocking_chain", "build_index", "callers_of", "content_hash", "summarize",
]
