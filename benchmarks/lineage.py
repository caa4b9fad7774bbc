"""Benchmark: column lineage and classification propagation over a generated project.

Generates a dbt project of N layered models (staging models over classified sources, then models
that join two earlier models through CTEs with star selects, CASE/COALESCE, hashes, counts and
window functions), writes its YAML, and a manifest with the compiled SQL (what `dbt compile` writes;
with --compile, dbt itself compiles the generated project). Then times, in one process:
lineage (parse + qualify + walk), propagation (YAML read + classification in topological order),
the first write-back, and a second, idempotent write-back.

    python -m benchmarks.lineage [--models 400] [--seed 7] [--compile] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from governance.lineage import build_lineage, propagate, write_back
from governance.policy import load_policy
from governance.project import DbtProject

ROOT = Path(__file__).resolve().parents[1]
SOURCES = 10
WIDTH = 12  # columns per model
DATABASE = "bench"
SOURCE_COLUMNS = [
    ("id", None),
    ("email", (3, "EMAIL_ADDRESS")),
    ("full_name", (3, "PERSON")),
    ("phone", (3, "PHONE_NUMBER")),
    ("card_number", (4, "CREDIT_CARD")),
    ("date_of_birth", (3, "DATE_OF_BIRTH")),
    ("country", None),
    ("amount", None),
    ("status", None),
    ("ip_address", (3, "IP_ADDRESS")),
    ("created_at", None),
    ("note", None),
]
EXPRESSIONS = [
    "a.{c}",
    "b.{c}",
    "upper(a.{c})",
    "coalesce(a.{c}, b.{c})",
    "case when a.{c} is not null then b.{c} end",
    "length(a.{c})",
    "md5(cast(a.{c} as varchar))",
    "a.{c} = b.{c}",
    "concat(a.{c}, '-', b.{c})",
    "lag(a.{c}) over (partition by a.col_0 order by b.col_1)",
    "nullif(a.{c}, '')",
    "cast(b.{c} as varchar)",
]


def policy_block() -> str:
    text = (ROOT / "dbt_project.yml").read_text()
    return text[text.index("vars:") :]


def generate(project: Path, models: int, seed: int) -> tuple[dict, list[str]]:
    """Write the project (SQL with refs, YAML) and return a manifest with the compiled SQL."""
    rng = random.Random(seed)
    (project / "models" / "staging").mkdir(parents=True)
    (project / "models" / "marts").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        "name: bench\nversion: '1.0.0'\nconfig-version: 2\nprofile: bench\nmodel-paths: [models]\n"
        "models:\n  bench:\n    +materialized: view\n" + policy_block()
    )
    (project / "profiles.yml").write_text(
        "bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: \"{{{{ env_var('DBT_DUCKDB_PATH', '{DATABASE}.duckdb') }}}}\"\n      schema: main\n"
    )
    nodes: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    source_yaml = ["version: 2", "", "sources:", "  - name: raw", "    schema: raw", "    tables:"]
    for i in range(SOURCES):
        table = f"t_{i}"
        source_yaml.append(f"      - name: {table}")
        source_yaml.append("        columns:")
        for name, cls in SOURCE_COLUMNS:
            source_yaml.append(f"          - name: {name}")
            if cls:
                source_yaml.append(
                    f"            config: {{meta: {{classification: {cls[0]}, pii: [{cls[1]}], "
                    "classified_by: scan}}"
                )
        sources[f"source.bench.raw.{table}"] = {
            "resource_type": "source",
            "name": table,
            "source_name": "raw",
            "relation_name": f'"{DATABASE}"."raw"."{table}"',
            "original_file_path": "models/staging/_sources.yml",
            "columns": {name: {"name": name} for name, _ in SOURCE_COLUMNS},
        }
    (project / "models" / "staging" / "_sources.yml").write_text("\n".join(source_yaml) + "\n")

    def add_model(name: str, folder: str, sql: str, compiled: str, depends: list[str]) -> None:
        (project / "models" / folder / f"{name}.sql").write_text(sql)
        nodes[f"model.bench.{name}"] = {
            "resource_type": "model",
            "name": name,
            "relation_name": f'"{DATABASE}"."main"."{name}"',
            "original_file_path": f"models/{folder}/{name}.sql",
            "patch_path": f"bench://models/{folder}/_models.yml",
            "columns": {f"col_{j}": {"name": f"col_{j}"} for j in range(WIDTH)},
            "depends_on": {"nodes": depends},
            "compiled_code": compiled,
            "config": {"materialized": "view"},
        }

    names: list[str] = []
    for i in range(SOURCES):
        name = f"stg_{i}"
        columns = ",\n        ".join(
            f"{'lower(trim(' + c + '))' if c == 'email' else c} as col_{j}"
            for j, (c, _) in enumerate(SOURCE_COLUMNS)
        )
        body = (
            "with source as (\n\n    select * from {src}\n\n),\n\nrenamed as (\n\n    select\n        "
            f"{columns}\n    from source\n\n)\n\nselect * from renamed\n"
        )
        add_model(
            name,
            "staging",
            body.format(src=f"{{{{ source('raw', 't_{i}') }}}}"),
            body.format(src=f'"{DATABASE}"."raw"."t_{i}"'),
            [f"source.bench.raw.t_{i}"],
        )
        names.append(name)
    for i in range(models - SOURCES):
        name = f"m_{i:04d}"
        left, right = rng.sample(names[-60:], 2) if len(names) > 2 else (names[0], names[1])
        exprs = []
        for j in range(WIDTH):
            template = EXPRESSIONS[(j + i) % len(EXPRESSIONS)] if j else "a.{c}"
            exprs.append(f"{template.format(c=f'col_{j}')} as col_{j}")
        aggregate = i % 9 == 0
        if aggregate:
            exprs = ["a.col_0 as col_0"] + [
                (f"count(distinct b.col_{j}) as col_{j}" if j % 2 else f"max(b.col_{j}) as col_{j}")
                for j in range(1, WIDTH)
            ]
        group = "\n    group by a.col_0" if aggregate else ""
        body = (
            "with a as (\n\n    select * from {left}\n\n),\n\nb as (\n\n    select * from {right}\n\n),\n\n"
            "joined as (\n\n    select\n        "
            + ",\n        ".join(exprs)
            + "\n    from a\n    left join b on a.col_0 = b.col_0"
            + group
            + "\n\n)\n\nselect * from joined\n"
        )
        add_model(
            name,
            "marts",
            body.format(left=f"{{{{ ref('{left}') }}}}", right=f"{{{{ ref('{right}') }}}}"),
            body.format(left=f'"{DATABASE}"."main"."{left}"', right=f'"{DATABASE}"."main"."{right}"'),
            [f"model.bench.{left}", f"model.bench.{right}"],
        )
        names.append(name)
    for folder in ("staging", "marts"):
        entries = [
            f"  - name: {n['name']}\n    columns:\n"
            + "".join(f"      - name: col_{j}\n        description: Column {j}.\n" for j in range(WIDTH))
            for n in nodes.values()
            if n["original_file_path"].startswith(f"models/{folder}/")
        ]
        (project / "models" / folder / "_models.yml").write_text("version: 2\n\nmodels:\n" + "".join(entries))
    manifest = {"metadata": {"adapter_type": "duckdb"}, "nodes": nodes, "sources": sources}
    return manifest, names


def dbt_compile(project: Path) -> tuple[dict, float]:
    target = project / "target"
    started = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "compile", "--quiet", "--target-path", str(target)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=1800,
        env={
            "PATH": str(Path(sys.executable).parent),
            "HOME": str(project),
            "DBT_PROFILES_DIR": str(project),
            "DBT_DUCKDB_PATH": str(project / f"{DATABASE}.duckdb"),
            "DBT_LOG_PATH": str(target / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
    )
    if result.returncode != 0:
        raise SystemExit(f"dbt compile failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return json.loads((target / "manifest.json").read_text()), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.lineage", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--models", type=int, default=400, help="number of models (default 400)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--compile", action="store_true", help="compile the generated project with dbt")
    parser.add_argument("--keep", type=Path, default=None, help="generate into this directory and keep it")
    args = parser.parse_args(argv)
    if args.models <= SOURCES + 2:
        parser.error(f"--models must be more than {SOURCES + 2}")
    tmp = None
    if args.keep:
        project = args.keep
        shutil.rmtree(project, ignore_errors=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-lineage-")
        project = Path(tmp.name) / "project"
    project.mkdir(parents=True)
    try:
        manifest, _ = generate(project, args.models, args.seed)
        compile_seconds = None
        if args.compile:
            manifest, compile_seconds = dbt_compile(project)
        phases: list[tuple[str, float, float]] = []

        def timed(label: str, work):
            wall, cpu = time.perf_counter(), time.process_time()
            value = work()
            phases.append((label, time.perf_counter() - wall, time.process_time() - cpu))
            return value

        graph = timed("lineage: parse, qualify, walk", lambda: build_lineage(manifest))
        dbt_project = DbtProject.locate(project)
        policy = load_policy(dbt_project)
        result = timed("propagate: read YAML, classify", lambda: propagate(dbt_project, graph, policy))
        first = timed("write-back, first run", lambda: write_back(result))
        second = timed(
            "all again (idempotent rerun)",
            lambda: write_back(propagate(DbtProject.locate(project), build_lineage(manifest), policy)),
        )
        analysed = [n for n in graph.nodes.values() if n.resource_type == "model"]
        columns = sum(len(n.columns) for n in analysed)
        edges = sum(len(v) for v in graph.edges.values())
        classified = sum(1 for s in result.derived_columns() if s.lineage is not None)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"lineage benchmark: {len(analysed)} models over {SOURCES} sources, {columns} model columns, "
            f"{edges} column edges, {classified} columns classified by lineage, "
            f"{len(graph.problems)} problems"
        )
        if compile_seconds is not None:
            print(f"  dbt compile of the generated project (reference only): {compile_seconds:.2f} s wall")
        print(f"  {'phase':<34} {'wall s':>8} {'cpu s':>8}")
        for label, wall, cpu in phases:
            print(f"  {label:<34} {wall:8.2f} {cpu:8.2f}")
        total_wall = sum(p[1] for p in phases[:3])
        total_cpu = sum(p[2] for p in phases[:3])
        print(f"  {'total (first three)':<34} {total_wall:8.2f} {total_cpu:8.2f}")
        print(
            f"  models per cpu second (lineage): {len(analysed) / max(phases[0][2], 1e-9):.0f}; "
            f"first write-back: {len(first.changes)} columns in {len(first.written)} files; "
            f"rerun wrote {len(second.written)} files; peak RSS {peak_mb:.0f} MB"
        )
        if second.written or graph.problems:
            print("  UNEXPECTED: the rerun wrote files, or lineage reported problems")
            return 1
        return 0
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
