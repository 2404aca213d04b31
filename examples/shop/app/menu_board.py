"""The chalkboard menu: the names the baristas wrote up today, kept in a CSV file next to the till."""

import csv
from pathlib import Path

BOARD_FILE = Path(__file__).with_name("menu_board.csv")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def names_on_the_board() -> set[str]:
    if not BOARD_FILE.exists():
        return set()
    return {row["name"] for row in read_rows(BOARD_FILE)}
