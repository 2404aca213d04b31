"""The `fastapi-patterns` command: serve the language server, or check, fix and explain from the terminal.

Without arguments (or with `--stdio`/`--tcp`) it starts the language server, importing the LSP package only
then; `--check` and the other commands never import it, so they start fast and need no editor libraries. Each
command imports only what it uses: `--version` and `--help` load no engine, rules or checker module at all,
`--list-rules` and `--explain` load the rules but not the checker. Every problem ends in one short line on
stderr and an exit code (2 for usage and internal errors), never a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import io
import os
import sys
from typing import TYPE_CHECKING, Optional, Sequence, TextIO

from . import __version__

if TYPE_CHECKING:
    from .checker.run import CheckOptions

PROG = "fastapi-patterns"
TTY_NOTICE = (
    f"{PROG}: language server waiting for an editor on stdin (to check files from the terminal, run "
    f"`{PROG} --check PATH`)"
)
_CHECK_ONLY = ("format", "fix", "unsafe_fixes", "diff", "select", "ignore", "extend_select", "fail_level",
               "exit_zero", "no_cache", "cache_dir", "jobs", "quiet", "statistics", "force_exclude")
# The values of `checker.run.OutputFormat` and the labels of `engine.types.Severity`, spelled out so that building
# the parser imports neither (tests/cli/test_cli_startup.py keeps them equal).
OUTPUT_FORMATS = ("text", "json", "sarif", "github")
SEVERITY_LABELS = ("error", "warning", "information", "hint")


class UsageError(Exception):
    """A command line that cannot work; the message is printed after `fastapi-patterns: error: `."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find and fix departures from FastAPI best practices. Without a command, serve the "
                    "language server on stdio.",
    )
    commands = parser.add_mutually_exclusive_group()
    commands.add_argument("--check", action="store_true", help="check PATHs (default: the current directory)")
    commands.add_argument("--explain", metavar="CODE", help="print a rule's documentation (code or name)")
    commands.add_argument("--list-rules", action="store_true", help="list every rule")
    commands.add_argument("--routes", action="store_true",
                          help="print the resolved route table of PATHs (default: the current directory); "
                               "--format text or json")
    commands.add_argument("--version", action="store_true", help="print the version")
    commands.add_argument("--stdio", action="store_true", help="serve the language server on stdio (default)")
    commands.add_argument("--tcp", action="store_true", help="serve the language server on TCP")
    parser.add_argument("--host", help="address to listen on with --tcp (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on with --tcp (default: 2087)")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files and directories to check; a path named here is checked even if excluded "
                             "(unless --force-exclude)")
    check = parser.add_argument_group("checking (with --check)")
    check.add_argument("--format", choices=OUTPUT_FORMATS, default="text",
                       help="output format (default: text)")
    check.add_argument("--fix", action="store_true", help="apply safe fixes and write the files")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix, apply unsafe fixes too; without it, show them as available")
    check.add_argument("--diff", action="store_true", help="print what --fix would change as a diff; write nothing")
    check.add_argument("--select", metavar="CODES",
                       help="rule codes or prefixes to enable, replacing the configured selection (or ALL)")
    check.add_argument("--ignore", metavar="CODES", help="rule codes or prefixes to disable")
    check.add_argument("--extend-select", metavar="CODES", help="rule codes or prefixes to enable as well")
    check.add_argument("--fail-level", choices=SEVERITY_LABELS, default="warning",
                       help="lowest severity that makes the run fail (default: warning)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
    check.add_argument("--no-cache", action="store_true",
                       help="analyse every file, neither reading nor writing the cache")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="where results are cached (default: $FASTAPI_PATTERNS_CACHE_DIR, else "
                            ".fastapi-patterns-cache in the working directory)")
    check.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: one per CPU; 1: none)")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.add_argument("--statistics", action="store_true", help="print the number of findings per rule")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply excludes and .gitignore to files named on the command line too")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command; returns the exit code (the console script passes it to `sys.exit`)."""
    out, err = sys.stdout, sys.stderr
    _tolerate_unencodable(out)
    _tolerate_unencodable(err)
    try:
        return _main(list(sys.argv[1:] if argv is None else argv), out, err)
    except UsageError as error:
        err.write(f"{PROG}: error: {error}\n")
        return 2
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 2
    except Exception as error:
        err.write(f"{PROG}: internal error: {type(error).__name__}: {error}\n")
        return 2


def _main(argv: list[str], out: TextIO, err: TextIO) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, or a usage error argparse already printed
        return exit_request.code if isinstance(exit_request.code, int) else 2
    if args.version:
        out.write(f"{PROG} {__version__}\n")
        return 0
    if args.list_rules:
        out.write(list_rules())
        return 0
    if args.explain is not None:
        return explain(args.explain, out, err)
    if args.check:
        return run_check(check_options(args), out, err)
    if args.routes:
        return routes(args, out, err)
    _refuse_check_options(args)
    return serve(args, err)


def run_check(options: CheckOptions, out: TextIO, err: TextIO) -> int:
    """Run `--check`; the checker (and with it the rules) is imported only here."""
    from .checker.run import run_check as run_checker

    return run_checker(options, out, err)


def check_options(args: argparse.Namespace) -> CheckOptions:
    from .checker.run import CheckOptions, OutputFormat, default_jobs
    from .checker.settings import SelectionOverrides, parse_selectors
    from .engine.types import Severity
    from .rules import KNOWN_CODES

    if args.host is not None or args.port is not None:
        raise UsageError("--host and --port go with --tcp, not --check")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs: expected a whole number of at least 1, got {args.jobs}")
    try:
        overrides = SelectionOverrides(
            select=parse_selectors(args.select, "--select", KNOWN_CODES) if args.select is not None else None,
            ignore=parse_selectors(args.ignore or "", "--ignore", KNOWN_CODES),
            extend_select=parse_selectors(args.extend_select or "", "--extend-select", KNOWN_CODES),
        )
    except ValueError as error:
        raise UsageError(str(error)) from None
    return CheckOptions(
        paths=tuple(args.paths) or (".",),
        output_format=OutputFormat(args.format),
        fix=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        diff=args.diff,
        overrides=overrides,
        fail_level=Severity.parse(args.fail_level),
        exit_zero=args.exit_zero,
        jobs=args.jobs if args.jobs is not None else default_jobs(),
        quiet=args.quiet,
        statistics=args.statistics,
        force_exclude=args.force_exclude,
        ascii_only=not _speaks_unicode(sys.stdout),
        no_cache=args.no_cache,
        cache_dir=args.cache_dir,
    )


def routes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .checker.routes import FORMATS, RoutesOptions, run_routes

    if args.format not in FORMATS:
        raise UsageError(f"--routes prints {' or '.join(FORMATS)}, not {args.format}")
    defaults = build_parser().parse_args([])
    given = [name for name in _CHECK_ONLY if name not in ("format", "force_exclude")
             and getattr(args, name) != getattr(defaults, name)]
    if given or args.host is not None or args.port is not None:
        option = "--" + (given[0] if given else "host" if args.host is not None else "port").replace("_", "-")
        raise UsageError(f"{option} does not go with --routes")
    options = RoutesOptions(paths=tuple(args.paths) or (".",), output_format=args.format,
                            force_exclude=args.force_exclude, ascii_only=not _speaks_unicode(sys.stdout))
    return run_routes(options, out, err)


def _refuse_check_options(args: argparse.Namespace) -> None:
    defaults = build_parser().parse_args([])
    given = [name for name in _CHECK_ONLY if getattr(args, name) != getattr(defaults, name)]
    if args.paths or given:
        what = "PATH" if args.paths else "--" + given[0].replace("_", "-")
        raise UsageError(f"{what} needs --check (for example `{PROG} --check .`)")
    if (args.host is not None or args.port is not None) and not args.tcp:
        raise UsageError("--host and --port need --tcp")


def list_rules() -> str:
    from .engine.types import FixSafety
    from .rules import ALL_RULES

    header = ("CODE", "NAME", "SEVERITY", "FIX", "DEFAULT")
    rows = [header] + [
        (rule.code, rule.name, rule.severity.label,
         "safe/unsafe" if rule.mixed_fix_safety and rule.fix_safety is not None
         else rule.fix_safety.value if rule.fix_safety is not None and rule.fix_safety is not FixSafety.DISPLAY_ONLY
         else "-",
         "opt-in" if rule.opt_in else "on")
        for rule in ALL_RULES
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n" for row in rows
    )


def explain(query: str, out: TextIO, err: TextIO) -> int:
    from .docs import render_rule
    from .rules import ALL_RULES

    wanted = query.strip()
    for rule in ALL_RULES:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            out.write(render_rule(rule))
            return 0
    err.write(f"{PROG}: unknown rule `{wanted}` (run `{PROG} --list-rules` to see every code)\n")
    return 2


def serve(args: argparse.Namespace, err: TextIO) -> int:
    transport = "tcp" if args.tcp else "stdio"
    if transport == "stdio" and _is_terminal(sys.stdin):
        err.write(TTY_NOTICE + "\n")
        err.flush()
    try:
        from .lsp import serve as serve_lsp
    except ImportError as error:
        err.write(f"{PROG}: the language server cannot start: {error}\n")
        return 2
    where = {key: value for key, value in (("host", args.host), ("port", args.port)) if value is not None}
    result = serve_lsp(transport=transport, **where)
    return int(result or 0)


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


def _speaks_unicode(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _tolerate_unencodable(stream: object) -> None:
    """Print characters the terminal's encoding lacks as escapes instead of failing."""
    if isinstance(stream, io.TextIOWrapper):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (ValueError, io.UnsupportedOperation):
            pass


def _silence_stdout() -> None:
    """After a closed pipe (`... | head`), point stdout at /dev/null so the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
