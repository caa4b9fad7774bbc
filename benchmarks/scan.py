"""PII scan benchmark: quality (column-level precision/recall) and speed, side by side in one run.

    python -m benchmarks.scan                     # everything (naive baseline over 10k rows: slow)
    python -m benchmarks.scan --naive-rows 1000   # naive baseline on fewer rows, time scaled per value

(a) `governance scan` over the labeled benchmark (train + holdout, 10k rows per table), end to end as a
    fresh process (Python start, engine start, sampling, classification);
(b) the train tables at 10 thousand and at 10 million rows: end-to-end and scan-only time ratios;
(c) the naive approach (Presidio's AnalyzerEngine, batched, over every value of every column at 10k
    rows; a column holds an entity found in >= 30% of its values at score >= 0.5).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from benchmarks import scan_corpus, scan_data
from governance.policy import load_policy
from governance.project import DbtProject
from governance.scan.classifier import Classifier, build_engine
from governance.scan.pipeline import ScanOptions, ScanPipeline

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CPU_TIMES: list[float] = []


def metrics(predicted: dict[str, set[str]], truth: dict[str, set[str]]) -> dict[str, float]:
    """Precision/recall on (column, entity) pairs and on columns (personal or not)."""
    tp = sum(len(predicted.get(c, set()) & e) for c, e in truth.items())
    fp = sum(len(predicted.get(c, set()) - e) for c, e in truth.items())
    fn = sum(len(e - predicted.get(c, set())) for c, e in truth.items())
    ctp = sum(1 for c, e in truth.items() if e and predicted.get(c))
    cfp = sum(1 for c, e in truth.items() if not e and predicted.get(c))
    cfn = sum(1 for c, e in truth.items() if e and not predicted.get(c))

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "column_precision": ratio(ctp, ctp + cfp),
        "column_recall": ratio(ctp, ctp + cfn),
        "pairs": len(truth),
        "fp": fp,
        "fn": fn,
    }


def errors(predicted: dict[str, set[str]], truth: dict[str, set[str]]) -> list[str]:
    out = []
    for column, expected in sorted(truth.items()):
        got = predicted.get(column, set())
        if got != expected:
            out.append(f"{column}: expected {sorted(expected) or '-'} got {sorted(got) or '-'}")
    return out


def cli_scan(database: Path, schemas: list[str]) -> tuple[float, dict[str, set[str]]]:
    """`governance scan --database F --schema S... --format json` as a fresh process. Returns the wall
    time (and records the process's CPU time in CPU_TIMES) and the predictions."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "", "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    start = time.perf_counter()
    result = subprocess.run(
        [
            str(BIN / "governance"),
            "scan",
            "--project-dir",
            str(PROJECT_DIR),
            "--database",
            str(database),
            *(arg for schema in schemas for arg in ("--schema", schema)),
            "--format",
            "json",
            "--quiet",
            "--full",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_TIMES.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if result.returncode not in (0, 1):
        raise SystemExit(f"governance scan failed ({result.returncode}):\n{result.stderr[-3000:]}")
    predicted: dict[str, set[str]] = {}
    for row in json.loads(result.stdout):
        if row.get("column"):
            predicted[f"{row['relation'].split('.', 1)[1]}.{row['column']}"] = set(row["pii"])
    return elapsed, predicted


def print_corpus_score(label: str, result: scan_corpus.Score, show_misses: bool = False) -> None:
    """The per-part, per-locale, per-naming-scheme and per-entity tables of one detector's predictions."""
    print(f"    {label}:")
    for part, counts in sorted(result.columns.items()):
        pairs = result.entities[part]
        flagged, total = result.hard_negatives.get(part, (0, 0))
        print(
            f"      {part:<15} columns: precision {counts.precision:.3f} recall {counts.recall:.3f} F1 {counts.f1:.3f}"
            f" ({counts.columns} columns); entities: precision {pairs.precision:.3f} recall {pairs.recall:.3f}"
            f" F1 {pairs.f1:.3f}; hard negatives flagged {flagged}/{total}"
        )
    if not show_misses:
        return
    print("      per locale (column level):")
    for (part, locale), counts in sorted(result.by_locale.items()):
        print(f"        {part:<15} {locale:<6} precision {counts.precision:.3f} recall {counts.recall:.3f}")
    print("      per naming scheme (column level):")
    for (part, scheme), counts in sorted(result.by_scheme.items()):
        print(f"        {part:<15} {scheme:<8} precision {counts.precision:.3f} recall {counts.recall:.3f}")
    print("      per entity ((column, entity) pairs):")
    for (part, entity), counts in sorted(result.by_entity.items()):
        print(
            f"        {part:<15} {entity:<16} precision {counts.precision:.3f} recall {counts.recall:.3f}"
            f"  (tp {counts.tp} fp {counts.fp} fn {counts.fn})"
        )


def inprocess_scan(database: Path, schema: str, classifier: Classifier, threads: int = 2) -> float:
    """Sampling + classification only (engine already built), through the scan pipeline's own code."""
    project = DbtProject.locate(PROJECT_DIR)
    options = ScanOptions(schemas=(schema,), database=str(database), threads=threads, state_file=Path(os.devnull))
    pipeline = ScanPipeline(project, load_policy(project), options, classifier)
    start = time.perf_counter()
    pipeline.run()
    return time.perf_counter() - start


def naive(database: Path, schemas: list[str], rows: int, entity_levels: dict[str, int]) -> tuple[float, int, dict]:
    """Presidio's AnalyzerEngine (default recognizers, batched) over every value of every column."""
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from governance.scan.classifier import nlp_configuration

    provider = NlpEngineProvider(nlp_configuration=nlp_configuration())
    engine = BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"]))
    con = duckdb.connect(str(database), read_only=True)
    predicted: dict[str, set[str]] = {}
    values_analysed = 0
    start = time.perf_counter()
    for schema in schemas:
        for (table,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]
        ).fetchall():
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
            ]
            data = con.execute(f"select * from {schema}.{table} limit {rows}").fetchall()
            for i, column in enumerate(columns):
                values = [str(row[i]) for row in data if row[i] is not None]
                values_analysed += len(values)
                counts: dict[str, int] = {}
                for results in engine.analyze_iterator(values, language="en", batch_size=256):
                    for entity in {r.entity_type for r in results if r.score >= 0.5}:
                        entity = "DATE_OF_BIRTH" if entity == "DATE_TIME" else entity
                        counts[entity] = counts.get(entity, 0) + 1
                predicted[f"{schema}.{table}.{column}"] = {
                    e for e, n in counts.items() if values and n >= 0.3 * len(values) and e in entity_levels
                }
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed, values_analysed, predicted


def _generated(database: Path) -> str | None:
    if not database.exists():
        return None
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            return str(con.execute("select marker from main.generated").fetchone()[0])
    except duckdb.Error:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scan",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rows", type=int, default=10_000, help="rows per benchmark table (default: %(default)s)")
    parser.add_argument(
        "--big-rows",
        type=int,
        default=10_000_000,
        help="rows per table for the size test (default: %(default)s; 0 skips it)",
    )
    parser.add_argument(
        "--naive-rows",
        type=int,
        default=10_000,
        help="rows per table for the naive baseline (default: %(default)s; 0 skips it); with "
        "fewer rows than --rows its time is scaled up per value",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where to keep the generated DuckDB file, reused when it holds the same data (default: target/bench-scan)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each timed scan; the best is reported (default: 3)"
    )
    parser.add_argument(
        "--corpus-rows",
        type=int,
        default=2_000,
        help="rows per table of the broad labelled benchmark (benchmarks/scan_corpus.py; default: %(default)s; "
        "0 skips it)",
    )
    parser.add_argument("--errors", action="store_true", help="list every misjudged column")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

    workdir = args.workdir or PROJECT_DIR / "target" / "bench-scan"
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "bench_scan.duckdb"
    start = time.perf_counter()
    factor = max(1, args.big_rows // args.rows) if args.big_rows else 0
    marker = (
        f"rows={args.rows} factor={factor} seed={scan_data.SEED} "
        f"corpus_rows={args.corpus_rows} corpus_seed={scan_corpus.SEED} corpus_version={scan_corpus.VERSION}"
    )
    if _generated(database) == marker:  # the same data is already there (--workdir reused)
        scan_data.build(duckdb.connect(":memory:"), args.rows)  # ground truth only
        if args.corpus_rows:
            scan_corpus.labels_only()
        print(f"reusing the generated tables in {database} ({marker})")
    else:
        database.unlink(missing_ok=True)
        with duckdb.connect(str(database)) as con:
            scan_data.build(con, args.rows)
            built = time.perf_counter() - start
            if factor:
                scan_data.scale_up(con, factor)
            if args.corpus_rows:
                corpus_start = time.perf_counter()
                scan_corpus.build(con, args.corpus_rows)
                print(f"generated the labelled corpus ({len(scan_corpus.LABELS)} columns, {args.corpus_rows:,} "
                      f"rows per table) in {time.perf_counter() - corpus_start:.1f}s")
            con.execute("create or replace table main.generated as select ? as marker", [marker])
        copies = f", x{factor} copies in {time.perf_counter() - start - built:.1f}s" if factor else ""
        print(f"generated {args.rows:,} rows per table in {built:.1f}s{copies}")
    truth = {**scan_data.truth_for("train"), **scan_data.truth_for("holdout")}
    columns = len(truth)

    # (a) the whole labeled benchmark, end to end
    # best of --repeat runs (the machines are shared; the minimum is the least disturbed run)
    runs_a = [cli_scan(database, ["train", "holdout"]) for _ in range(args.repeat)]
    elapsed_a, predicted = min(run[0] for run in runs_a), runs_a[0][1]
    cpu_a = min(CPU_TIMES[-args.repeat :])
    deterministic = all(run[1] == predicted for run in runs_a)
    train = metrics(predicted, scan_data.truth_for("train"))
    holdout = metrics(predicted, scan_data.truth_for("holdout"))
    overall = metrics(predicted, truth)
    print(
        f"\n(a) governance scan, {columns} labeled columns ({args.rows:,} rows per table), end to end: "
        f"{elapsed_a:.2f}s wall, {cpu_a:.2f}s CPU (best of {args.repeat}; target <= 10 s); "
        f"same result every run: {deterministic}"
    )
    for label, m in (("train", train), ("holdout", holdout), ("all", overall)):
        print(
            f"    {label:<8} precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}  "
            f"(column level: precision {m['column_precision']:.3f} recall {m['column_recall']:.3f})"
        )
    if args.errors:
        for line in errors(predicted, truth):
            print("      miss:", line)

    # (d) the broad labelled corpus: eight locales, three naming schemes, held-out part by another generator
    if args.corpus_rows:
        schemas = list(scan_corpus.PARTS)
        corpus_runs = [cli_scan(database, schemas) for _ in range(args.repeat)]
        corpus_time, corpus_pred = min(run[0] for run in corpus_runs), corpus_runs[0][1]
        corpus_cpu = min(CPU_TIMES[-args.repeat :])
        print(
            f"\n(d) governance scan over the labelled corpus ({len(scan_corpus.LABELS)} columns, "
            f"{args.corpus_rows:,} rows per table): {corpus_time:.2f}s wall, {corpus_cpu:.2f}s CPU "
            f"(best of {args.repeat}); same result every run: {all(r[1] == corpus_pred for r in corpus_runs)}"
        )
        corpus_score = scan_corpus.score(corpus_pred)
        print_corpus_score("scan", corpus_score, show_misses=True)
        if args.errors:
            for line in corpus_score.misses:
                print("      miss:", line)

    # (b) 10k vs 10M rows
    if args.big_rows:
        small_runs, big_runs, small_cpu, big_cpu = [], [], [], []
        for _ in range(args.repeat):  # interleaved, so both sizes see the same machine
            small_runs.append(cli_scan(database, ["train"])[0])
            small_cpu.append(CPU_TIMES[-1])
            big_cli_run, big_pred = cli_scan(database, ["train_big"])
            big_runs.append(big_cli_run)
            big_cpu.append(CPU_TIMES[-1])
        small_cli, big_cli = min(small_runs), min(big_runs)
        classifier = Classifier(load_policy(PROJECT_DIR).entity_levels, 2, build_engine())
        small_scans, big_scans = [], []
        for _ in range(args.repeat):
            small_scans.append(inprocess_scan(database, "train", classifier))
            big_scans.append(inprocess_scan(database, "train_big", classifier))
        small_scan, big_scan = min(small_scans), min(big_scans)
        same = {k.split(".", 1)[1]: v for k, v in big_pred.items()} == {
            k.split(".", 1)[1]: v for k, v in predicted.items() if k.startswith("train.")
        }
        print(f"\n(b) train tables at {args.rows:,} vs {args.big_rows:,} rows:")
        print(
            f"    end to end  {small_cli:.2f}s vs {big_cli:.2f}s  ratio {big_cli / small_cli:.2f}  "
            "(target <= 1.5); "
            f"CPU {min(small_cpu):.2f}s vs {min(big_cpu):.2f}s  ratio {min(big_cpu) / min(small_cpu):.2f} "
            f"(best of {args.repeat})"
        )
        print(
            f"    scan only   {small_scan:.2f}s vs {big_scan:.2f}s  ratio {big_scan / small_scan:.2f}  "
            "(sampling + classification in one process, engine already built)"
        )
        print(f"    same classification at both sizes: {same}")

    # (c) naive Presidio over every value
    if args.naive_rows:
        naive_rows = min(args.naive_rows, args.rows)
        naive_time, values, naive_pred = naive(
            database, ["train", "holdout"], naive_rows, load_policy(PROJECT_DIR).entity_levels
        )
        scale = args.rows / naive_rows
        naive_at_rows = naive_time * scale
        m = metrics(naive_pred, truth)
        print(
            f"\n(c) naive Presidio over every value: {values:,} values in {naive_time:.1f}s "
            f"({values / naive_time:.0f} values/s)"
            + (f", scaled x{scale:.0f} to {args.rows:,} rows: {naive_at_rows:.0f}s" if scale > 1 else "")
        )
        print(f"    naive    precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}")
        print(
            f"    scan     precision {overall['precision']:.3f}  recall {overall['recall']:.3f}  F1 {overall['f1']:.3f}"
        )
        print(
            f"    speed-up {naive_at_rows / elapsed_a:.0f}x (naive analysis time vs the scan end to end; "
            "target >= 50x at equal or better F1)"
        )
        if args.errors:
            for line in errors(naive_pred, truth):
                print("      naive miss:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
