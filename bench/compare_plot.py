"""Draw docs/benchmarks.png from a results file: one group of bars per tree (smallest first), one bar per tool,
time on a log scale. Runs inside the benchmark environment, the only place matplotlib is installed:

    bench/.venv-compare/bin/python bench/compare_plot.py RESULTS.json OUTPUT.png

RESULTS.json holds {"trees": [{"title", "files"}], "series": [{"label", "seconds": [float or null per tree]}]}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def draw(results: dict[str, list[dict[str, object]]], output: Path) -> None:
    trees, series = results["trees"], results["series"]
    figure, axes = plt.subplots(figsize=(11, 5.5), dpi=110)
    width = 0.8 / max(len(series), 1)
    colours = plt.get_cmap("tab10")
    for index, line in enumerate(series):
        seconds = line["seconds"]
        assert isinstance(seconds, list)
        positions = [tree + (index - (len(series) - 1) / 2) * width for tree in range(len(trees))]
        heights = [value if isinstance(value, (int, float)) else 0 for value in seconds]
        bold = str(line["label"]).startswith("fastapi-patterns")
        axes.bar(positions, heights, width * 0.92, label=str(line["label"]), color=colours(index % 10),
                 edgecolor="black" if bold else "none", linewidth=1.2)
    axes.set_yscale("log")
    axes.set_ylabel("wall time, seconds (median, log scale)")
    axes.set_xticks(range(len(trees)))
    axes.set_xticklabels([f"{tree['title']}\n{int(str(tree['files'])):,} files" for tree in trees])
    axes.grid(axis="y", which="both", alpha=0.3)
    axes.set_axisbelow(True)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    axes.set_title("fastapi-patterns and other tools on the same trees (missing bar: not run)")
    figure.tight_layout()
    figure.savefig(output)


def main(arguments: list[str]) -> int:
    if len(arguments) != 2:
        print("usage: compare_plot.py RESULTS.json OUTPUT.png", file=sys.stderr)
        return 2
    draw(json.loads(Path(arguments[0]).read_text(encoding="utf-8")), Path(arguments[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
