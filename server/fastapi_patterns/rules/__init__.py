"""The rule registry: every rule, one instance each, in code order.

Adding a rule means writing its module (see any neighbour for the shape) and listing it here.
"""

from __future__ import annotations

from ..engine.rule import Rule
from .async_without_await import AsyncWithoutAwait
from .blocking_call_in_async import BlockingCallInAsync
from .called_dependency import CalledDependency
from .get_event_loop_in_coroutine import GetEventLoopInCoroutine
from .non_annotated_dependency import NonAnnotatedDependency
from .path_parameter_mismatch import PathParameterMismatch
from .post_missing_status_code import PostMissingStatusCode
from .route_path_without_leading_slash import RoutePathWithoutLeadingSlash
from .syntax_error import SyntaxErrorRule

ALL_RULES: tuple[Rule, ...] = (
    SyntaxErrorRule(),
    BlockingCallInAsync(),
    AsyncWithoutAwait(),
    GetEventLoopInCoroutine(),
    PostMissingStatusCode(),
    NonAnnotatedDependency(),
    PathParameterMismatch(),
    CalledDependency(),
    RoutePathWithoutLeadingSlash(),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
KNOWN_CODES: frozenset[str] = frozenset(RULES_BY_CODE)
