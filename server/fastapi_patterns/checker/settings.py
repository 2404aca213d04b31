"""Which configuration applies to each checked file, with the command line's rule selection on top.

Every file uses the nearest configuration file above it (`fastapi-patterns.toml`, or a `pyproject.toml` with a
`[tool.fastapi-patterns]` table); configuration files are not merged, the closest one wins. Files with none
use the defaults. `--select` replaces the configured selection (its `select`, `extend-select` and `ignore`),
`--ignore` and `--extend-select` add to it. Problems in configuration files are collected, not raised, so the
caller can print them all before stopping.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..engine.config import Config, ConfigError, find_config_file, load_config_file


@dataclass(frozen=True)
class SelectionOverrides:
    """Rule selection given on the command line; `None` means the option was not given."""

    select: Optional[tuple[str, ...]] = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def apply(self, config: Config) -> Config:
        if self.select is not None:
            config = config.with_overrides(select=self.select, extend_select=(), ignore=())
        return config.with_overrides(
            ignore=(*config.ignore, *self.ignore),
            extend_select=(*config.extend_select, *self.extend_select),
        )


def parse_selectors(text: str, option: str, known_codes: frozenset[str]) -> tuple[str, ...]:
    """Split `FAP101,FAP2` into selectors; an unknown code or prefix raises ValueError naming the option."""
    selectors: list[str] = []
    for raw in text.split(","):
        item = raw.strip().upper()
        if not item:
            continue
        if item != "ALL" and not any(code.startswith(item) for code in known_codes):
            raise ValueError(f"{option}: `{raw.strip()}` matches no rule code (see --list-rules)")
        selectors.append(item)
    return tuple(selectors)


class ConfigResolver:
    """Finds and loads configuration files once each, and remembers every problem they had."""

    def __init__(self, cwd: Path, overrides: SelectionOverrides, known_codes: frozenset[str]) -> None:
        self.cwd = cwd
        self.overrides = overrides
        self.known_codes = known_codes
        self.errors: list[ConfigError] = []
        self._by_directory: dict[Path, Config] = {}
        self._by_file: dict[Optional[Path], Config] = {}

    def for_directory(self, directory: Path) -> Config:
        """The configuration for files directly inside `directory` (an absolute path)."""
        cached = self._by_directory.get(directory)
        if cached is None:
            cached = self._load(find_config_file(directory))
            self._by_directory[directory] = cached
        return cached

    def for_file(self, path: Path) -> Config:
        return self.for_directory(path.parent)

    def _load(self, config_file: Optional[Path]) -> Config:
        cached = self._by_file.get(config_file)
        if cached is not None:
            return cached
        if config_file is None:
            config = Config(root=str(self.cwd))
        else:
            config, errors = load_config_file(config_file, known_codes=self.known_codes)
            self.errors.extend(errors)
        config = self.overrides.apply(config)
        self._by_file[config_file] = config
        return config
