#!/usr/bin/env python3
"""Tables of docs/performance.md from the results criterion left in the target directory.

    cargo bench -p micropay-markup --bench extract
    cargo bench -p micropay-wallet --bench wallet
    scripts/bench-report.py [TARGET_DIR]        (default: $CARGO_TARGET_DIR or target)

Times are criterion's medians; the ratios divide micropay's median by each baseline's.
"""

import json
import os
import sys
from pathlib import Path

PAGES = [
    "news-100k-plain",
    "news-100k-links",
    "news-250k-plain",
    "news-250k-links",
    "news-150k-video",
    "latin1-1999-plain",
    "latin1-1999-links",
    "archive-10m-10000links",
]
VARIANTS = ["floor-rcdom", "floor-arena", "scraper-naive", "scraper-bytes", "micropay"]
WALLET = [
    "purchase",
    "verify",
    "verify-tmpfs",
    "verify-batch-64",
    "verify-batch-64-tmpfs",
    "decode-and-verify-strict",
    "receipt-sign",
    "decompress-key",
    "verify-strict",
]
# Many threads at once, compared with verify_strict on as many threads.
WALLET_THREADS = [
    "verify-concurrent-32",
    "verify-concurrent-32-tmpfs",
    "verify-checks-32",
    "verify-strict-32",
]


def median(criterion: Path, *parts: str) -> float | None:
    """Median in seconds of one benchmark, or None if it has not been run."""
    path = criterion.joinpath(*parts, "new", "estimates.json")
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"] / 1e9


def show(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None else f"{a / b:.2f}"


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target"))
    criterion = target / "criterion"
    print(
        "| page | floor-rcdom | floor-arena | scraper-naive | scraper-bytes | micropay "
        "| ÷ floor | ÷ scraper | ÷ scraper-bytes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for page in PAGES:
        t = {v: median(criterion, page, v) for v in VARIANTS}
        cells = " | ".join(show(t[v]) for v in VARIANTS)
        print(
            f"| {page} | {cells} | {ratio(t['micropay'], t['floor-rcdom'])} "
            f"| {ratio(t['micropay'], t['scraper-naive'])} "
            f"| {ratio(t['micropay'], t['scraper-bytes'])} |"
        )
    rates(criterion, WALLET, "verify-strict", "wallet", "time per operation")
    rates(criterion, WALLET_THREADS, "verify-strict-32", "32 threads", "wall-clock time per token")


def rates(criterion: Path, names: list[str], floor: str, title: str, unit: str) -> None:
    """A table of the benchmarks `names`: time, operations per second, ratio to `floor`."""
    times = {name: median(criterion, name) for name in names}
    if not any(times.values()):
        return
    print()
    print(f"| {title} | {unit} | per second | ÷ {floor} |")
    print("|---|---:|---:|---:|")
    for name, seconds in times.items():
        rate = "-" if seconds is None else f"{1 / seconds:,.0f}"
        print(f"| {name} | {show(seconds)} | {rate} | {ratio(seconds, times[floor])} |")

if __name__ == "__main__":
    main()
