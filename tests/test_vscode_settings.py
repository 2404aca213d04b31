"""The VS Code extension's settings stay in step with the server's configuration keys.

package.json's `contributes.configuration` must declare every key the server reads (the configuration file's
keys plus `debounce-ms`) and nothing else besides the client's own launch and trace keys, which the server
ignores; the extension's list of keys it forwards must match; and each declared default must be one the server
accepts and, where the server has a default, the same one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fastapi_patterns.engine.config import KNOWN_KEYS, OFFLOAD_STYLES, Config, config_from_mapping
from fastapi_patterns.lsp.settings import CLIENT_ONLY_KEYS, DEFAULT_DEBOUNCE_MS, parse_settings
from fastapi_patterns.rules import KNOWN_CODES

CLIENT = Path(__file__).resolve().parent.parent / "client-vscode"
PREFIX = "fastapi-patterns."
CLIENT_KEYS = {"interpreter", "path", "trace.server"}
SERVER_KEYS = set(KNOWN_KEYS) | {"debounce-ms"}


def declared() -> dict[str, dict[str, Any]]:
    manifest = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
    properties = manifest["contributes"]["configuration"]["properties"]
    assert all(name.startswith(PREFIX) for name in properties)
    return {name[len(PREFIX):]: schema for name, schema in properties.items()}


def test_package_json_declares_exactly_the_server_keys_and_the_client_keys() -> None:
    keys = set(declared())
    assert keys - CLIENT_KEYS == SERVER_KEYS, (
        f"missing from package.json: {sorted(SERVER_KEYS - keys)}; "
        f"unknown to the server: {sorted(keys - CLIENT_KEYS - SERVER_KEYS)}"
    )
    assert CLIENT_KEYS <= keys


def test_client_only_keys_are_ignored_by_the_server() -> None:
    assert {key.split(".")[0] for key in CLIENT_KEYS} <= CLIENT_ONLY_KEYS
    settings, problems = parse_settings({"interpreter": ["/usr/bin/python3"], "path": [], "trace": {"server": "off"}})
    assert problems == [] and dict(settings.table) == {}


def test_the_extension_forwards_the_same_keys() -> None:
    source = (CLIENT / "src" / "common" / "settings.ts").read_text(encoding="utf-8")
    block = re.search(r"SERVER_SETTING_KEYS = \[(.*?)\] as const", source, re.S)
    assert block is not None
    assert set(re.findall(r"'([a-z-]+)'", block.group(1))) == SERVER_KEYS


@pytest.mark.parametrize("key", sorted(KNOWN_KEYS))
def test_each_default_is_accepted_and_matches_the_server(key: str) -> None:
    default = declared()[key]["default"]
    config, errors = config_from_mapping({key: default}, "package.json", known_codes=KNOWN_CODES)
    assert errors == []
    attribute = key.replace("-", "_")
    if attribute in Config.__dataclass_fields__ and key not in ("severity", "per-file-ignores"):
        value = getattr(config, attribute)
        assert (list(value) if isinstance(value, tuple) else value) == default
        assert value == getattr(Config(), attribute), f"package.json's default for {key} differs from the server's"


def test_debounce_and_offload_style_match_the_server() -> None:
    schema = declared()
    assert schema["debounce-ms"]["default"] == DEFAULT_DEBOUNCE_MS
    assert parse_settings({"debounce-ms": schema["debounce-ms"]["maximum"]})[1] == []
    assert schema["offload-style"]["enum"] == list(OFFLOAD_STYLES)


def test_every_declared_command_is_registered() -> None:
    manifest = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
    commands = {command["command"] for command in manifest["contributes"]["commands"]}
    source = (CLIENT / "src" / "extension.ts").read_text(encoding="utf-8")
    registered = set(re.findall(r"registerCommand\('([\w.-]+)'", source))
    assert commands == registered == {
        "fastapi-patterns.restart", "fastapi-patterns.fixAll", "fastapi-patterns.showOutput",
        "fastapi-patterns.showRoutes", "fastapi-patterns.refreshRoutes",
    }
