"""The snippet catalog: completion templates that write FastAPI code following the rules.

`SNIPPETS` is the catalog (data only); `Snippet.plain_text()` expands a template with its defaults, which is
what clients without snippet support receive and what the tests analyse.
"""

from .catalog import SNIPPETS, Snippet

__all__ = ["SNIPPETS", "Snippet"]
