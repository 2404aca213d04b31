"""Rewriting a Pydantic v1 `class Config:` block as `model_config = ConfigDict(...)`, for FAP302.

Owns the plan (which v1 keys are renamed, which are known to Pydantic v2 as they are, which are unknown and
kept with their name) and the text: each value keeps its source text, comments inside the block move along
with their keys, and the call is written on one line when it is short and has no comments, one key per line
otherwise. A block holding anything but plain `key = value` assignments (methods, docstrings) gets no plan.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

from ..engine.document import Document
from ..engine.names import SymbolTable
from ..engine.types import Position, Span

RENAMED = {
    "orm_mode": "from_attributes",
    "schema_extra": "json_schema_extra",
    "allow_population_by_field_name": "populate_by_name",
    "anystr_strip_whitespace": "str_strip_whitespace",
    "anystr_lower": "str_to_lower",
    "anystr_upper": "str_to_upper",
    "min_anystr_length": "str_min_length",
    "max_anystr_length": "str_max_length",
    "validate_all": "validate_default",
    "keep_untouched": "ignored_types",
}
UNCHANGED = frozenset({
    "title", "extra", "frozen", "arbitrary_types_allowed", "validate_assignment", "use_enum_values",
    "json_encoders", "alias_generator", "allow_inf_nan", "from_attributes", "json_schema_extra",
    "populate_by_name", "str_strip_whitespace", "str_to_lower", "str_to_upper", "str_min_length",
    "str_max_length", "validate_default", "ignored_types", "protected_namespaces", "strict",
    "revalidate_instances", "hide_input_in_errors", "defer_build", "use_attribute_docstrings",
    "ser_json_timedelta", "ser_json_bytes", "ser_json_inf_nan", "coerce_numbers_to_str", "regex_engine",
    "loc_by_alias", "validate_return", "json_schema_mode_override", "cache_strings",
})
SETTINGS_ONLY = frozenset({
    "env_prefix", "env_file", "env_file_encoding", "env_nested_delimiter", "secrets_dir", "case_sensitive",
    "env_ignore_empty", "env_parse_none_str", "env_parse_enums",
})
_EXTRA_ENUMS = frozenset({"pydantic.Extra", "pydantic.config.Extra"})
_ONE_LINE_WIDTH = 100


@dataclass(frozen=True)
class ConfigEntry:
    key: str
    value: str
    comments_before: tuple[str, ...]
    trailing_comment: str
    known: bool


@dataclass(frozen=True)
class ConfigPlan:
    span: Span  # from `class Config` to the end of its last line
    indent: str
    header_comment: str
    entries: tuple[ConfigEntry, ...]

    @property
    def all_known(self) -> bool:
        return all(entry.known for entry in self.entries)

    def text(self, factory: str, newline: str = "\n") -> str:
        arguments = [f"{entry.key}={entry.value}" for entry in self.entries]
        one_line = f"model_config = {factory}({', '.join(arguments)})"
        has_comments = self.header_comment or any(e.comments_before or e.trailing_comment for e in self.entries)
        if not has_comments and "\n" not in one_line and len(self.indent) + len(one_line) <= _ONE_LINE_WIDTH:
            return one_line
        inner = self.indent + "    "
        lines = [f"model_config = {factory}({self.header_comment}"]
        for entry, argument in zip(self.entries, arguments):
            lines.extend(f"{inner}{comment}" for comment in entry.comments_before)
            lines.append(f"{inner}{argument},{entry.trailing_comment}")
        lines.append(f"{self.indent})")
        return newline.join(lines)


def plan_config(config: ast.ClassDef, document: Document, names: SymbolTable, settings: bool) -> Optional[ConfigPlan]:
    """The rewrite of one `class Config:` block, or None when it holds more than plain assignments."""
    if config.bases or config.keywords or config.decorator_list:
        return None
    statements = [s for s in config.body if not isinstance(s, ast.Pass)]
    if not statements or any(not _is_plain_assignment(s) for s in config.body):
        return None
    last_lines = [(s.end_lineno or s.lineno) for s in config.body]
    if len(set(last_lines)) != len(last_lines) or any(s.lineno == config.lineno for s in config.body):
        return None  # statements sharing a line: leave such code alone
    header_line = config.lineno - 1
    entries: list[ConfigEntry] = []
    line = header_line + 1
    for statement in config.body:
        comments: list[str] = []
        while line < statement.lineno - 1:
            text = document.line_text(line).strip()
            if text.startswith("#"):
                comments.append(text)
            line += 1
        line = (statement.end_lineno or statement.lineno)
        if isinstance(statement, ast.Pass):
            continue
        entry = _entry(statement, document, names, settings, tuple(comments), _comment_after(document, statement))
        if entry is None:
            return None
        entries.append(entry)
    start = document.node_span(config).start
    end_line = last_lines[-1] - 1
    header_comment = _line_comment(document.line_text(header_line), None)
    return ConfigPlan(
        span=Span(start, Position(end_line, len(document.line_text(end_line)))),
        indent=document.line_indent(header_line),
        header_comment=f"  {header_comment}" if header_comment else "",
        entries=tuple(entries),
    )


def _is_plain_assignment(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Assign):
        return len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name)
    return (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
            and statement.value is not None)


def _entry(statement: ast.stmt, document: Document, names: SymbolTable, settings: bool,
           comments: tuple[str, ...], trailing: str) -> Optional[ConfigEntry]:
    if isinstance(statement, ast.Assign):
        target, before_value, value = statement.targets[0], statement.targets[0], statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target, before_value, value = statement.target, statement.annotation, statement.value
    else:
        return None
    assert isinstance(target, ast.Name)
    text = _value_text(document, before_value, statement)
    if text is None:
        return None
    key = target.id
    known = key in UNCHANGED or key in RENAMED or (settings and key in SETTINGS_ONLY)
    if key == "allow_mutation":
        flag = value.value if isinstance(value, ast.Constant) and isinstance(value.value, bool) else None
        key, text, known = ("frozen", str(not flag), True) if flag is not None else (key, text, False)
    elif key == "extra" and isinstance(value, ast.Attribute) and names.qualified_name(value.value) in _EXTRA_ENUMS:
        text = f'"{value.attr}"'
    key = RENAMED.get(key, key)
    return ConfigEntry(key, text, comments, f"  {trailing}" if trailing else "", known)


def _value_text(document: Document, before_value: ast.AST, statement: ast.stmt) -> Optional[str]:
    """The source text after the `=` of an assignment, parentheses and inner comments included."""
    start = document.offset(document.node_span(before_value).end)
    end = document.offset(document.node_span(statement).end)
    rest = document.source[start:end].lstrip()
    if not rest.startswith("="):
        return None
    return rest[1:].strip()


def _comment_after(document: Document, statement: ast.stmt) -> str:
    end = document.node_span(statement).end
    return _line_comment(document.line_text(end.line), end.column)


def _line_comment(line: str, from_column: Optional[int]) -> str:
    """The `# comment` at the end of a line, looking only after `from_column` (None: after the colon)."""
    tail = line[from_column:] if from_column is not None else line[line.find(":") + 1:]
    match = re.match(r"\s*(#.*)$", tail)
    return match.group(1).rstrip() if match else ""
