"""Gather each benchmark's figures (docs/benchmarks/<module>.md) into docs/benchmarks.md.

Every script in benchmarks/ writes its own section file; run this afterwards:
    python benchmarks/merge_reports.py
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ROOT / "docs" / "benchmarks"
TARGET = ROOT / "docs" / "benchmarks.md"

HEADER = """# Benchmarks

Speed is measured by the scripts in `benchmarks/`, each against a peer or a baseline
measured in the same run on the same machine, so the figures are ratios rather than
absolute times. Each section below is written by its script; this file is assembled
by `python benchmarks/merge_reports.py`.
"""


def main() -> None:
    parts = [HEADER]
    for section in sorted(SECTIONS.glob("*.md")):
        parts.append(section.read_text(encoding="utf-8").strip())
    TARGET.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} from {len(parts) - 1} section(s)")


if __name__ == "__main__":
    main()
