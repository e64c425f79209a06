"""Markdown pieces the renderers share: tables, the line saying when and how a table was measured,
and number formats."""

from __future__ import annotations


def markdown_table(header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table; cells are converted with `str`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def command(record: dict) -> str:
    """The record's command line, as typed from the repository root, after the `ASSISTANT_*`
    variables it ran with that none of its options set."""
    set_by_options = {f"ASSISTANT_{name.upper()}": value for name, value in record["parameters"].items()
                      if name in ("precision", "backend", "store") and value}
    environment = " ".join(f"{name}={value}" for name, value in record["environment"].items()
                           if set_by_options.get(name) != value)
    return f"{environment} {record['command']}".strip()


def provenance(*records: dict) -> str:
    """When, with which command and at which 1-minute load average the records were measured."""
    dates = sorted({record["date"][:10] for record in records})
    runs = ", ".join(f"`{command(record)}` (load {record['load']['start']:.1f} → {record['load']['end']:.1f})"
                     for record in records)
    return f"Measured {' and '.join(dates)}: {runs}."


def share(count: int, total: int) -> str:
    return f"{count / total:.3f}" if total else "–"


def percent(fraction: float, digits: int = 0) -> str:
    return f"{100 * fraction:.{digits}f} %"


def thousands(number: float) -> str:
    return f"{number:,.0f}"


def span(values: list[float], fmt: str = "{:.0f}", unit: str = "") -> str:
    """`a–b unit` (or `a unit` when all are equal when formatted)."""
    low, high = fmt.format(min(values)), fmt.format(max(values))
    return f"{low}{unit}" if low == high else f"{low}–{high}{unit}"
