"""The results table, the machine it ran on, and docs/benchmarks.md."""

import os
import platform
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bench.escalation import TARGET_S, ScanResult
from bench.load import Result
from bench.scenarios import Scenario

START = "<!-- bench:results -->"
END = "<!-- /bench:results -->"


def machine() -> str:
    model, cores, memory = "unknown CPU", os.cpu_count() or 0, 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) // 1024
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cores} cores ({model}), {memory / 1024:.1f} GiB RAM, Linux {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; "
        f"load average {load:.2f} at the start"
    )


def verdict(scenario: Scenario, result: Result) -> str:
    if result.timed_out:
        return "❌ stopped at the deadline"
    if result.failures:
        return "❌ errors"
    if scenario.target_ms is not None:
        return "✅" if result.percentile(95) <= scenario.target_ms else "❌"
    if scenario.target_rate is not None:
        return "✅" if result.rate >= scenario.target_rate else "❌"
    return ""


def table(pairs: list[tuple[Scenario, Result]]) -> str:
    lines = [
        "| Scenario | Requests | Errors | Rate | p50 ms | p95 ms | p99 ms | Target | "
        "| Alone p50 ms | Load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for scenario, result in pairs:
        requests = f"{result.requests}"
        if scenario.concurrency and result.concurrency:
            requests += f" ({result.concurrency} at once)"
        lines.append(
            f"| {scenario.label} | {requests} | {result.failures} | "
            f"{result.rate:.1f} {scenario.unit} | {result.percentile(50):.1f} | "
            f"{result.percentile(95):.1f} | {result.percentile(99):.1f} | {scenario.target} | "
            f"{verdict(scenario, result)} | {result.solo_p50:.1f} | {result.load_average:.1f} |"
        )
    return "\n".join(lines)


def console_table(pairs: list[tuple[Scenario, Result]]) -> str:
    header = (
        f"{'scenario':<16}{'req':>6}{'err':>5}{'rate/s':>9}{'p50':>9}{'p95':>9}{'p99':>9}  target"
    )
    rows = [header, "-" * len(header)]
    for scenario, result in pairs:
        rows.append(
            f"{scenario.name:<16}{result.requests:>6}{result.failures:>5}{result.rate:>9.1f}"
            f"{result.percentile(50):>9.1f}{result.percentile(95):>9.1f}"
            f"{result.percentile(99):>9.1f}{result.solo_p50:>8.1f}{result.load_average:>6.1f}"
            f"  {scenario.target} {verdict(scenario, result)}"
        )
    return "\n".join(rows)


def scan_verdict(scan: ScanResult) -> str:
    if scan.error:
        return "❌ error"
    return "✅" if scan.passed else "❌"


def scan_table(scans: list[ScanResult]) -> str:
    lines = [
        "| Scan | Open tickets | Clocks due | Tickets looked at | Steps fired | Scan s | CPU s "
        "| Firings/s | p50 ms | p95 ms | p99 ms | Queries | Target | | Load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for scan in scans:
        lines.append(
            f"| {scan.label} | {scan.open_tickets:,} | {scan.due_clocks:,} | {scan.tickets:,} | "
            f"{scan.fired:,} | {scan.seconds:.2f} | {scan.cpu_s:.2f} | {scan.rate:,.1f} | "
            f"{scan.percentile(50):.1f} | {scan.percentile(95):.1f} | {scan.percentile(99):.1f} "
            f"| {scan.queries:,} | scan ≤ {TARGET_S:g} s | {scan_verdict(scan)} | "
            f"{scan.load_average:.1f} |"
        )
    return "\n".join(lines)


def console_scans(scans: list[ScanResult]) -> str:
    header = (
        f"{'scan':<20}{'due':>7}{'tickets':>8}{'fired':>7}{'s':>8}{'fired/s':>9}{'p50':>8}"
        f"{'p95':>8}{'p99':>8}  target"
    )
    rows = [header, "-" * len(header)]
    for scan in scans:
        rows.append(
            f"{scan.name:<20}{scan.due_clocks:>7}{scan.tickets:>8}{scan.fired:>7}"
            f"{scan.seconds:>8.2f}{scan.rate:>9.1f}{scan.percentile(50):>8.1f}"
            f"{scan.percentile(95):>8.1f}{scan.percentile(99):>8.1f}  scan ≤ {TARGET_S:g} s "
            f"{scan_verdict(scan)} {scan.error[:200]}"
        )
    return "\n".join(rows)


def _clocks_note(generation: dict) -> str:
    if "clocks_s" not in generation:
        return ""
    note = (
        f"; service clocks computed by the product's engine: {generation['clocks_s']:.1f} s "
        f"of CPU in {generation.get('clock_workers', 1)} processes, beside the inserts"
    )
    if "cpu_s" in generation:
        note += f"; CPU of the loading process {generation['cpu_s']:.1f} s"
    return note


def results_section(
    *,
    command: str,
    size: int,
    generation: dict,
    pairs,
    settings: dict,
    errors: list[str],
    scans: list[ScanResult] | None = None,
    scan_generation: dict | None = None,
) -> str:
    rows = generation.get("rows", {})
    lines = [
        START,
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}`.",
        "",
        f"- Machine: {machine()}.",
        f"- Data set: {size:,} tickets, {rows.get('events', 0):,} events, "
        f"{rows.get('followups', 0):,} follow-ups, {rows.get('clocks', 0):,} service clocks, "
        f"{rows.get('firings', 0):,} escalation firings, {settings['organisations']} "
        f"organisations, {settings['technicians']} technicians; database file "
        f"{settings['db_mb']:,.0f} MB.",
    ]
    when = (
        " (when this data set was made; reused with `--reuse`)" if generation.get("reused") else ""
    )
    g = {k: generation.get(k, 0) for k in ("total_s", "rows_per_s", "insert_s", "index_s")}
    g.update(fts_s=generation.get("fts_s", 0), base_s=generation.get("base_s", 0))
    lines.append(
        f"- Generation{when}: {g['total_s']:.1f} s in all, {g['rows_per_s']:,.0f} rows/s "
        f"(inserts {g['insert_s']:.1f} s, indexes {g['index_s']:.1f} s, full-text index "
        f"{g['fts_s']:.1f} s{_clocks_note(generation)}), after `migrate` and the base "
        f"({g['base_s']:.1f} s)."
    )
    if generation.get("analyze_s") is not None:
        lines.append(
            "- Planner statistics: refreshed before measuring, as `guichet worker` does every "
            f"six hours ({generation['analyze_s']:.2f} s)."
        )
    else:
        lines.append(
            "- Planner statistics: none (`--no-analyze`: a database the worker has not analysed)."
        )
    lines += [
        f"- Server: `guichet serve` (gunicorn, {settings['workers']} sync workers, DEBUG off); "
        f"load: {settings['concurrency']} threads, one connection each, "
        f"{settings['requests']} requests per scenario after {settings['warmup']} warm-up "
        f"requests; the measured technician sees {settings['visible']:,} tickets. "
        f'"Alone" is the median of {settings["solo"]} requests sent one at a time (the cost '
        'of a request without queueing); "load avg" is the machine\'s one-minute load average '
        "when the scenario ended (2 cores: above 2, other work competed for them).",
        "",
        table(pairs),
    ]
    if scans:
        sg = scan_generation or {}
        srows = sg.get("rows", {})
        reused = " (reused with `--reuse`)" if sg.get("reused") else ""
        lines += [
            "",
            f"Escalation scans (in-process, `run_escalations`, each on a fresh copy of "
            f"`bench-open-{srows.get('tickets', 0)}.sqlite3`): {srows.get('tickets', 0):,} open "
            f"tickets, {srows.get('clocks', 0):,} clocks, {srows.get('firings', 0):,} firings "
            f"already in, as of {sg.get('now', '?')}; generated{reused} in "
            f"{sg.get('total_s', 0):.1f} s{_clocks_note(sg)}. Clocks due at that `now` before "
            f"the scans: {', '.join(str(s.left_at_now) for s in scans)} (0: steady state).",
            "",
            scan_table(scans),
        ]
    if errors:
        lines += ["", "Errors (first ones):", "", *[f"- `{e[:300]}`" for e in errors[:10]]]
    lines.append(END)
    return "\n".join(lines)


def write_document(path: Path, section: str, template: str) -> None:
    """Replace the results between the markers, keeping the rest of the document."""
    text = path.read_text() if path.exists() else template
    if START not in text or END not in text:
        text = template
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(head + section + tail)
