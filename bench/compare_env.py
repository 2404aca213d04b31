"""The comparative benchmark's own environment: a virtual environment under bench/.venv-compare (not committed)
holding the other tools, libcst, matplotlib and this project, plus the facts about the machine and the tools'
versions that go into the report.

Installing is skipped when the environment already holds the same list of packages (`--reinstall` forces it).
The PyPI `fastapi-lsp` is optional: if it cannot be installed or has no headless mode, its row says why.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import venv
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
VENV = HERE / ".venv-compare"
REQUIRED = ("ruff", "fixit", "flake8", "flake8-async", "libcst", "matplotlib")
OPTIONAL = "fastapi-lsp"
_MARKER = "bench-compare-packages.json"


class SetupError(Exception):
    """The environment cannot be prepared; the message says which step failed."""


@dataclass(frozen=True)
class Environment:
    bin_dir: Path
    versions: dict[str, str]
    fastapi_lsp_problem: str  # "" when its headless `check` command is there


def _pip(python: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           *arguments], capture_output=True, text=True, check=False, timeout=1800)


def _last_error_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if "error" in line.lower()] or output.strip().splitlines()
    return lines[-1][:160] if lines else "no output"


def ensure_environment(reinstall: bool) -> Environment:
    bin_dir = VENV / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    if not python.exists():
        print(f"creating {VENV.relative_to(REPOSITORY)}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = VENV / _MARKER
    wanted = json.dumps({"required": REQUIRED, "optional": OPTIONAL, "project": str(REPOSITORY)})
    if reinstall or not marker.exists() or marker.read_text(encoding="utf-8") != wanted:
        print(f"installing {', '.join(REQUIRED)} and this project into the benchmark environment", flush=True)
        installed = _pip(python, *REQUIRED, "-e", str(REPOSITORY))
        if installed.returncode != 0:
            raise SetupError(f"cannot install the tools: {_last_error_line(installed.stderr)}")
        optional = _pip(python, OPTIONAL)
        problem = "" if optional.returncode == 0 else f"n/a: not installable ({_last_error_line(optional.stderr)})"
        (VENV / "fastapi-lsp-problem.txt").write_text(problem, encoding="utf-8")
        marker.write_text(wanted, encoding="utf-8")
    recorded = VENV / "fastapi-lsp-problem.txt"
    problem = recorded.read_text(encoding="utf-8") if recorded.exists() else "n/a: not installed"
    if not problem:
        problem = _headless_problem(bin_dir / "fastapi-lsp")
    return Environment(bin_dir, package_versions(python), problem)


def _headless_problem(executable: Path) -> str:
    """"" when `fastapi-lsp` offers a `check` command that runs once and exits, else why it cannot be measured."""
    if not executable.exists():
        return "n/a: installed without a `fastapi-lsp` command"
    completed = subprocess.run([str(executable), "--help"], capture_output=True, text=True, check=False, timeout=60)
    commands = [line.split()[0] for line in completed.stdout.splitlines() if line.startswith("  ") and line.split()]
    return "" if "check" in commands else "n/a: language server only, no headless mode"


def package_versions(python: Path) -> dict[str, str]:
    names = [*REQUIRED, OPTIONAL, "fastapi-patterns"]
    script = ("import importlib.metadata as m, json, sys\nfound = {}\nfor name in sys.argv[1:]:\n"
              "    try:\n        found[name] = m.version(name)\n    except m.PackageNotFoundError:\n        pass\n"
              "print(json.dumps(found))")
    completed = subprocess.run([str(python), "-c", script, *names], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SetupError(f"cannot read the tools' versions: {_last_error_line(completed.stderr)}")
    versions: dict[str, str] = json.loads(completed.stdout)
    return versions


def load_average() -> float:
    """The 1-minute load average (0 where the system does not report one)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def machine_facts(python: Path, load_at_start: float) -> dict[str, str]:
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    facts = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
             "cores": f"{usable} usable ({os.cpu_count()} online)", "CPU": _cpu_model(),
             "memory": _memory(), "OS": platform.platform(terse=True)}
    version = subprocess.run([str(python), "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=False).stdout.strip()
    facts["Python"] = f"CPython {version or platform.python_version()}"
    facts["load average (1 min)"] = (f"{load_at_start:.1f} at the start, {load_average():.1f} at the end "
                                     "(other work shares the machine when it is above the core count)")
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    return "unknown"


def project_python_path() -> str:
    """PYTHONPATH that makes this checkout's package importable by the current interpreter's subprocesses."""
    return os.pathsep.join(filter(None, [str(REPOSITORY / "server"), os.environ.get("PYTHONPATH", "")]))
