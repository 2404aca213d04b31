"""Editor settings and the configuration each document is analysed with.

Settings arrive in `initializationOptions`, in `workspace/didChangeConfiguration` and, when the client answers
`workspace/configuration`, per workspace folder. They use the keys of `[tool.fastapi-patterns]` (kebab-case,
snake_case or camelCase) plus `debounce-ms`. A bad value is left out, so that key keeps the value it would have
without it, and is reported once. A document's configuration is its nearest config file (cached per folder,
re-read when the file changes) with the editor settings laid over it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from ..engine.config import (
    Config,
    ConfigError,
    config_from_mapping,
    find_config_file,
    load_config_file,
)
from ..rules import KNOWN_CODES

SECTION = "fastapi-patterns"
DEFAULT_DEBOUNCE_MS = 150
MAX_DEBOUNCE_MS = 10_000
EDITOR_SOURCE = "editor settings"
# Keys a client may send in the same section for its own use (which interpreter to start, protocol tracing).
CLIENT_ONLY_KEYS = frozenset({"interpreter", "trace", "path", "import-strategy", "enable"})
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")


@dataclass(frozen=True)
class EditorSettings:
    """Validated editor settings: the engine keys to lay over the config file, and the server's own keys."""

    table: Mapping[str, Any] = field(default_factory=dict)
    debounce_ms: int = DEFAULT_DEBOUNCE_MS


def normalise_key(key: str) -> str:
    return _CAMEL_HUMP.sub(r"-\1", key).lower().replace("_", "-")


def section_of(raw: Any) -> Any:
    """The `fastapi-patterns` section of a settings object, or the object itself when it is the section."""
    if isinstance(raw, Mapping):
        for key in (SECTION, "fastapiPatterns", "fastapi_patterns"):
            if key in raw:
                return raw[key]
    return raw


def parse_settings(raw: Any) -> tuple[EditorSettings, list[str]]:
    """Validate editor settings; returns the usable settings and one message per problem."""
    if raw is None:
        return EditorSettings(), []
    if not isinstance(raw, Mapping):
        return EditorSettings(), [f"{EDITOR_SOURCE}: expected an object of settings, got {type(raw).__name__}"]
    problems: list[str] = []
    table: dict[str, Any] = {}
    debounce = DEFAULT_DEBOUNCE_MS
    for raw_key, value in raw.items():
        key = normalise_key(str(raw_key))
        if key in CLIENT_ONLY_KEYS:
            continue
        if key == "debounce-ms":
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DEBOUNCE_MS:
                debounce = value
            else:
                problems.append(
                    f"{EDITOR_SOURCE}: `{raw_key}`: expected a whole number of milliseconds from 0 to "
                    f"{MAX_DEBOUNCE_MS}, got {value!r}; using {DEFAULT_DEBOUNCE_MS}"
                )
            continue
        table[key] = value
    _, errors = config_from_mapping(table, EDITOR_SOURCE, known_codes=KNOWN_CODES)
    rejected = {error.key.split(".")[0] for error in errors}
    problems.extend(f"{error}; this setting is ignored" for error in errors)
    good = {key: value for key, value in table.items() if key not in rejected}
    return EditorSettings(good, debounce), problems


@dataclass
class _LoadedFile:
    stamp: tuple[float, int]
    config: Config


class ConfigResolver:
    """Finds and caches the config file of each folder and combines it with editor settings."""

    def __init__(self) -> None:
        self._file_of_folder: dict[Path, Optional[Path]] = {}
        self._loaded: dict[Path, _LoadedFile] = {}

    def clear(self) -> None:
        self._file_of_folder.clear()
        self._loaded.clear()

    def resolve(self, fs_path: Optional[str], settings: EditorSettings,
                fallback_root: Optional[str]) -> tuple[Config, list[ConfigError]]:
        """The configuration for a document at `fs_path` (None: a buffer without a file: defaults)."""
        base = Config(root=fallback_root)
        problems: list[ConfigError] = []
        if fs_path is not None:
            config_file = self._config_file(Path(fs_path).parent)
            if config_file is not None:
                base, problems = self._load(config_file)
        config, _ = config_from_mapping(settings.table, EDITOR_SOURCE, base, KNOWN_CODES)
        return config, problems

    def _config_file(self, folder: Path) -> Optional[Path]:
        if folder not in self._file_of_folder:
            try:
                self._file_of_folder[folder] = find_config_file(folder)
            except OSError:
                self._file_of_folder[folder] = None
        return self._file_of_folder[folder]

    def _load(self, path: Path) -> tuple[Config, list[ConfigError]]:
        """The file's config; its problems only the first time this version of the file is read."""
        try:
            status = path.stat()
            stamp = (status.st_mtime, status.st_size)
        except OSError:
            stamp = (0.0, -1)
        loaded = self._loaded.get(path)
        if loaded is not None and loaded.stamp == stamp:
            return loaded.config, []
        config, problems = load_config_file(path, KNOWN_CODES)
        self._loaded[path] = _LoadedFile(stamp, config)
        return config, problems
