"""Configuration: the `[tool.fastapi-patterns]` table, editor settings, and rule selection.

A `Config` is an immutable value. It is read from the nearest `pyproject.toml` (or `fastapi-patterns.toml`),
or built from the same keys sent by an editor. Every unknown key and bad value becomes a `ConfigError` naming the
source and the key; callers decide whether that is fatal (the command line) or falls back to defaults with a
message (the language server). Rule codes and prefixes (`FAP1`, `FAP20`) select and ignore rules.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from .types import Severity

OFFLOAD_STYLES = ("run_in_executor", "to_thread", "run_in_threadpool")
DEFAULT_NON_CREATING_POST_WORDS = (
    "login", "logout", "token", "refresh", "search", "query", "verify", "validate", "check", "send", "notify",
    "webhook", "callback", "run", "execute", "trigger", "preview", "calculate", "compute", "upload", "import",
    "export",
)
DEFAULT_SENSITIVE_FIELDS = (
    "password", "passwd", "hashed_password", "password_hash", "secret", "secret_key", "client_secret", "api_key",
    "private_key", "ssn",
)
DEFAULT_CACHE_DECORATORS = ("fastapi_cache.decorator.cache",)
DEFAULT_TEST_PATTERNS = ("tests/*", "*/tests/*", "test_*.py", "*/test_*.py", "conftest.py", "*/conftest.py")


class ConfigError(ValueError):
    """A configuration problem, phrased for the user: where, which key, what is wrong."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(f"{source}: `{key}`: {problem}")


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    offload_style: str = "run_in_executor"
    blocking_calls: tuple[str, ...] = ()
    sensitive_fields: tuple[str, ...] = DEFAULT_SENSITIVE_FIELDS
    non_creating_post_words: tuple[str, ...] = DEFAULT_NON_CREATING_POST_WORDS
    cache_decorators: tuple[str, ...] = DEFAULT_CACHE_DECORATORS
    test_patterns: tuple[str, ...] = DEFAULT_TEST_PATTERNS
    show_syntax_errors: bool = True
    max_fix_size: int = 512 * 1024
    max_file_size: int = 5 * 1024 * 1024
    root: Optional[str] = None

    def is_enabled(self, code: str, opt_in: bool = False, path: Optional[str] = None) -> bool:
        """Whether rule `code` runs: the most specific matching selector wins, ignore beats select on a tie."""
        select = self.select or (() if opt_in else ("FAP",))
        chosen = _longest_match(code, (*select, *self.extend_select))
        ignored = _longest_match(code, self.ignore)
        if path is not None:
            for pattern, codes in self.per_file_ignores.items():
                if _path_matches(path, pattern, self.root):
                    ignored = max(ignored, _longest_match(code, codes))
        return chosen > 0 and chosen > ignored

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def is_excluded(self, path: str) -> bool:
        return any(_path_matches(path, pattern, self.root) for pattern in self.exclude)

    def is_test_file(self, path: str) -> bool:
        """Whether `path` is test code by the `test-patterns` setting (tests/ folders, test_*.py, conftest.py)."""
        return any(_path_matches(path, pattern, self.root) for pattern in self.test_patterns)

    def with_overrides(self, **changes: Any) -> "Config":
        return replace(self, **changes)


def _longest_match(code: str, selectors: tuple[str, ...]) -> int:
    best = 0
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 1)
        elif code.startswith(selector):
            best = max(best, len(selector) + 1)
    return best


def _path_matches(path: str, pattern: str, root: Optional[str]) -> bool:
    candidate = Path(path)
    if root is not None:
        try:
            candidate = candidate.resolve().relative_to(Path(root).resolve())
        except (ValueError, OSError):
            pass
    text = candidate.as_posix()
    pattern = pattern.rstrip("/")
    return (
        fnmatch.fnmatch(text, pattern)
        or fnmatch.fnmatch(text, f"{pattern}/*")
        or fnmatch.fnmatch(candidate.name, pattern)
        or any(part == pattern for part in candidate.parts)
    )


# -- reading --------------------------------------------------------------------------------------------


_LIST_KEYS = {
    "select": "select", "ignore": "ignore", "extend-select": "extend_select", "exclude": "exclude",
    "blocking-calls": "blocking_calls", "sensitive-fields": "sensitive_fields",
    "non-creating-post-words": "non_creating_post_words", "cache-decorators": "cache_decorators",
    "test-patterns": "test_patterns",
}
_INT_KEYS = {"max-fix-size": "max_fix_size", "max-file-size": "max_file_size"}
KNOWN_KEYS = frozenset(
    [*_LIST_KEYS, *_INT_KEYS, "severity", "per-file-ignores", "offload-style", "show-syntax-errors"]
)
CODE_PREFIX = "FAP"


def config_from_mapping(data: Mapping[str, Any], source: str, base: Optional[Config] = None,
                        known_codes: frozenset[str] = frozenset()) -> tuple[Config, list[ConfigError]]:
    """Build a Config from a settings table. Bad keys are reported and skipped; the rest still applies."""
    config = base or Config()
    errors: list[ConfigError] = []
    changes: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = raw_key.replace("_", "-")
        try:
            if key in _LIST_KEYS:
                items = _string_list(value, source, raw_key)
                if key in ("select", "ignore", "extend-select"):
                    items = tuple(_check_selector(item, source, raw_key, known_codes) for item in items)
                changes[_LIST_KEYS[key]] = items
            elif key in _INT_KEYS:
                if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                    raise ConfigError(source, raw_key, f"expected a positive whole number, got {value!r}")
                changes[_INT_KEYS[key]] = value
            elif key == "severity":
                changes["severity"] = _severity_table(value, source, raw_key, known_codes)
            elif key == "per-file-ignores":
                if not isinstance(value, Mapping):
                    raise ConfigError(source, raw_key, "expected a table of glob = [codes]")
                changes["per_file_ignores"] = {
                    str(pattern): tuple(
                        _check_selector(c, source, f"{raw_key}.{pattern}", known_codes)
                        for c in _string_list(codes, source, f"{raw_key}.{pattern}")
                    )
                    for pattern, codes in value.items()
                }
            elif key == "offload-style":
                if value not in OFFLOAD_STYLES:
                    raise ConfigError(source, raw_key, f"expected one of {', '.join(OFFLOAD_STYLES)}, got {value!r}")
                changes["offload_style"] = value
            elif key == "show-syntax-errors":
                if not isinstance(value, bool):
                    raise ConfigError(source, raw_key, f"expected true or false, got {value!r}")
                changes["show_syntax_errors"] = value
            else:
                raise ConfigError(source, raw_key, "unknown key" + _suggest(key))
        except ConfigError as error:
            errors.append(error)
    return replace(config, **changes), errors


def _suggest(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
    return f" (did you mean `{close[0]}`?)" if close else f"; known keys: {', '.join(sorted(KNOWN_KEYS))}"


def _string_list(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(source, key, f"expected a list of strings, got {value!r}")
    return tuple(value)


def _check_selector(item: str, source: str, key: str, known_codes: frozenset[str]) -> str:
    item = item.strip().upper()
    if item == "ALL":
        return item
    if not item.startswith(CODE_PREFIX) or (known_codes and not any(c.startswith(item) for c in known_codes)):
        raise ConfigError(source, key, f"{item!r} matches no rule code (codes look like FAP101; prefixes like FAP1)")
    return item


def _severity_table(value: Any, source: str, key: str, known_codes: frozenset[str]) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        raise ConfigError(source, key, "expected a table such as {FAP101 = \"error\"}")
    table: dict[str, Severity] = {}
    for code, level in value.items():
        code = str(code).upper()
        if known_codes and code not in known_codes:
            raise ConfigError(source, f"{key}.{code}", "unknown rule code")
        try:
            table[code] = Severity.parse(str(level))
        except KeyError:
            raise ConfigError(source, f"{key}.{code}", f"expected error, warning, information or hint, got {level!r}")
    return table


def find_config_file(start: Path) -> Optional[Path]:
    """The nearest fastapi-patterns.toml, or pyproject.toml with a [tool.fastapi-patterns] table, upwards."""
    directory = start if start.is_dir() else start.parent
    for folder in [directory, *directory.parents]:
        dedicated = folder / "fastapi-patterns.toml"
        if dedicated.is_file():
            return dedicated
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "fastapi-patterns" in pyproject.read_text(encoding="utf-8"):
                    return pyproject
            except (OSError, UnicodeDecodeError):
                continue
    return None


def load_config_file(path: Path, known_codes: frozenset[str] = frozenset()) -> tuple[Config, list[ConfigError]]:
    """Read one configuration file; a file that cannot be read or parsed is one ConfigError, defaults apply."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return Config(root=str(path.parent)), [ConfigError(str(path), "<file>", f"cannot read: {error}")]
    except tomllib.TOMLDecodeError as error:
        return Config(root=str(path.parent)), [ConfigError(str(path), "<file>", f"invalid TOML: {error}")]
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("fastapi-patterns", {})
    else:
        table = data.get("tool", {}).get("fastapi-patterns", data)
    if not isinstance(table, Mapping):
        return Config(root=str(path.parent)), [ConfigError(str(path), "tool.fastapi-patterns", "expected a table")]
    return config_from_mapping(table, str(path), Config(root=str(path.parent)), known_codes)
