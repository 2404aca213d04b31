"""The rule registry: every rule, one instance each, in code order.

Adding a rule means writing its module (see any neighbour for the shape) and listing it here.
"""

from __future__ import annotations

from ..engine.rule import Rule
from .async_without_await import AsyncWithoutAwait
from .asyncclient_app_argument import AsyncclientAppArgument
from .blocking_call_in_async import BlockingCallInAsync
from .blocking_call_via_helper import BlockingCallViaHelper
from .cache_decorator_order import CacheDecoratorOrder
from .called_dependency import CalledDependency
from .cors_middleware_order import CorsMiddlewareOrder
from .cors_wildcard_credentials import CorsWildcardCredentials
from .delete_missing_status_code import DeleteMissingStatusCode
from .dependency_overrides_leak import DependencyOverridesLeak
from .dict_request_body import DictRequestBody
from .get_event_loop_in_coroutine import GetEventLoopInCoroutine
from .hardcoded_secret import HardcodedSecret
from .http_client_per_request import HttpClientPerRequest
from .joinedload_without_unique import JoinedloadWithoutUnique
from .jwt_decode_unverified import JwtDecodeUnverified
from .lazy_load_in_loop import LazyLoadInLoop
from .missing_response_model import MissingResponseModel
from .naive_utcnow import NaiveUtcnow
from .non_annotated_dependency import NonAnnotatedDependency
from .on_event_deprecated import OnEventDeprecated
from .optional_without_default import OptionalWithoutDefault
from .path_parameter_mismatch import PathParameterMismatch
from .plaintext_password_stored import PlaintextPasswordStored
from .post_missing_status_code import PostMissingStatusCode
from .pydantic_v1_config import PydanticV1Config
from .pydantic_v1_method import PydanticV1Method
from .pydantic_v1_validator import PydanticV1Validator
from .redundant_response_model import RedundantResponseModel
from .resource_created_in_endpoint import ResourceCreatedInEndpoint
from .route_path_without_leading_slash import RoutePathWithoutLeadingSlash
from .router_not_included import RouterNotIncluded
from .sensitive_field_in_response import SensitiveFieldInResponse
from .sequential_awaits_in_loop import SequentialAwaitsInLoop
from .session_not_closed import SessionNotClosed
from .settings_per_request import SettingsPerRequest
from .shadowed_route import ShadowedRoute
from .status_code_literal import StatusCodeLiteral
from .syntax_error import SyntaxErrorRule
from .testclient_without_lifespan import TestclientWithoutLifespan
from .unchecked_none_return import UncheckedNoneReturn
from .unmaintained_auth_library import UnmaintainedAuthLibrary
from .unbounded_page_size import UnboundedPageSize
from .undocumented_http_exception import UndocumentedHttpException
from .undocumented_path_operation import UndocumentedPathOperation
from .untagged_route import UntaggedRoute
from .untyped_parameter import UntypedParameter
from .update_model_required_field import UpdateModelRequiredField

ALL_RULES: tuple[Rule, ...] = (
    SyntaxErrorRule(),
    BlockingCallInAsync(),
    AsyncWithoutAwait(),
    BlockingCallViaHelper(),
    GetEventLoopInCoroutine(),
    SequentialAwaitsInLoop(),
    PostMissingStatusCode(),
    DeleteMissingStatusCode(),
    MissingResponseModel(),
    RedundantResponseModel(),
    NonAnnotatedDependency(),
    PathParameterMismatch(),
    UntypedParameter(),
    DictRequestBody(),
    UndocumentedHttpException(),
    UncheckedNoneReturn(),
    ShadowedRoute(),
    CalledDependency(),
    StatusCodeLiteral(),
    RoutePathWithoutLeadingSlash(),
    UndocumentedPathOperation(),
    UntaggedRoute(),
    UnboundedPageSize(),
    SensitiveFieldInResponse(),
    PydanticV1Config(),
    PydanticV1Validator(),
    PydanticV1Method(),
    OptionalWithoutDefault(),
    UpdateModelRequiredField(),
    OnEventDeprecated(),
    CorsWildcardCredentials(),
    HardcodedSecret(),
    JwtDecodeUnverified(),
    NaiveUtcnow(),
    ResourceCreatedInEndpoint(),
    HttpClientPerRequest(),
    SettingsPerRequest(),
    UnmaintainedAuthLibrary(),
    RouterNotIncluded(),
    CorsMiddlewareOrder(),
    PlaintextPasswordStored(),
    CacheDecoratorOrder(),
    LazyLoadInLoop(),
    SessionNotClosed(),
    JoinedloadWithoutUnique(),
    AsyncclientAppArgument(),
    DependencyOverridesLeak(),
    TestclientWithoutLifespan(),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
KNOWN_CODES: frozenset[str] = frozenset(RULES_BY_CODE)
