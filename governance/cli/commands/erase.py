"""`governance erase`: the right to erasure of one data subject, planned from lineage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, manifest_option, output_options, project_options, require
from governance.errors import GovernanceError


@click.command("erase")
@project_options
@manifest_option
@click.option("--subject", "subject_text", required=True, metavar="TYPE:KEY",
              help="the data subject, e.g. customer:123 (a type of vars.governance.erasure.subjects and its key)")
@click.option("--apply", "do_apply", is_flag=True,
              help="DuckDB: erase (one transaction) and record the subject in the register; default: plan only")
@click.option("--reclaim", is_flag=True,
              help="DuckDB, with --apply: then rewrite the database file so that no freed block keeps an erased value")
@click.option("--database", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="DuckDB: the file to erase in (default: the profile target's path)")
@click.option("--sql", "sql_out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="write the statements as one script (Snowflake: run it as the erasure operator)")
@click.option("--render", type=click.Choice(["snowflake"]), default=None,
              help="render the statements for Snowflake from this manifest's lineage (with --sql)")
@output_options(("text", "json"))
def erase_command(subject_text: str, do_apply: bool, reclaim: bool, database: Path | None, sql_out: Path | None,
                  render: str | None, **options: Any) -> int:
    """Erase one data subject everywhere their data lives: raw change tables, staging, marts, snapshots and
    free-text mentions of their email or phone (support tickets).

    The plan is derived from column lineage: every stored relation with a column carrying the subject's key
    (from vars.governance.erasure.subjects) has the personal columns of the subject's rows set to NULL (JSON
    documents lose the fields that feed personal columns), and every free-text column has mentions of the
    subject's emails and phone numbers replaced by '[erased]'. The subject's key and the time go to the
    register (vars.governance.erasure.register), which the staging models read, so no later incremental
    run or full refresh brings the subject back. Only relation and column names and counts are printed.

    Without --apply: the plan with counts. --apply (DuckDB): everything in one transaction; an interrupted
    run keeps nothing and a rerun completes it. A subject already erased with nothing left says so (exit 0).
    On Snowflake use --sql FILE to render the script (no personal value in it).

    Exits 0 when done (or nothing is left), 1 when the plan finds data still to erase and --apply was not
    given, 2 on bad input (unknown subject type or key, a plan that cannot be made safely)."""
    from governance.erasure import run as erasure_run
    from governance.lineage import analyse
    from governance.project.warehouse import connect

    run = invocation("erase", **options)
    require(not reclaim or do_apply, "--reclaim needs --apply")
    result = analyse(run.project, manifest=run.manifest,
                     on_compile=lambda: run.log("compiling", note="dbt compile (cached when unchanged)"))
    renderer = erasure_run.prepare(result, subject_text, render)
    if sql_out is not None:
        sql_out.write_text(renderer.script(), encoding="utf-8")
        run.log("written", file=str(sql_out), statements=len(renderer.statements()))
    if renderer.dialect != "duckdb":
        require(not do_apply, "--apply runs on DuckDB only; on Snowflake run the script written by --sql")
        _print_plan(run, erasure_run.Erasure(renderer), counted=False)
        return ExitCode.OK
    target = run.project.target()
    path = database or Path(target.duckdb_path())
    target_for_path = target if database is None else _with_path(target, path)
    with connect(target_for_path, read_only=False) as connection:
        before = erasure_run.count(connection.raw, renderer)
        if not before.known:
            raise GovernanceError(f"no {before.plan.subject.name} with key {renderer.key} in "
                                  f"{before.plan.key_relation.name}, and none erased with it")
        if before.erased_at is not None and before.pending == 0:
            run.decide("erasure_already_done", before.plan.subject.name)
            note = f"{before.subject} already erased ({before.erased_at:%Y-%m-%d %H:%M} UTC); nothing left to erase"
            if reclaim:
                connection.close()
                erasure_run.reclaim_duckdb(path)
                note += "; database file rewritten"
            _print_plan(run, before, note=note)
            return ExitCode.OK
        if not do_apply:
            _print_plan(run, before, note=f"{before.pending} rows to change; run with --apply to erase")
            return ExitCode.FINDINGS
        ran = erasure_run.apply(connection.raw, renderer)
        after = erasure_run.count(connection.raw, renderer)
    if after.pending or after.erased_at is None:
        raise GovernanceError(f"erasure of {after.subject} left {after.pending} rows holding values; not recorded as done")
    run.decide("subject_erased", after.plan.subject.name, statements=ran, rows=before.pending)
    if reclaim:
        erasure_run.reclaim_duckdb(path)
    _print_plan(run, before, note=f"erased {after.subject}: {before.pending} rows changed in "
                                  f"{sum(1 for c in before.counts if c.pending)} relations, recorded in the register"
                                  + ("; database file rewritten" if reclaim else ""))
    return ExitCode.OK


def _with_path(target: Any, path: Path) -> Any:
    import dataclasses

    fields = dict(target.fields)
    fields["path"] = str(path)
    return dataclasses.replace(target, fields=fields)


def _print_plan(run: Any, erasure: Any, note: str = "", counted: bool = True) -> None:
    if run.format == "json":
        click.echo(json.dumps({"subject": erasure.subject, "erased_at": erasure.erased_at, "note": note,
                               "relations": [c.as_dict() for c in erasure.counts] if counted else
                               [_plan_dict(p) for p in erasure.plan.relations]},
                              indent=2, sort_keys=True, default=str))
        return
    click.echo(f"erasure plan for {erasure.subject} (from lineage of {erasure.plan.subject.key})")
    rows = erasure.counts if counted else [None] * len(erasure.plan.relations)
    for plan, tally in zip(erasure.plan.relations, rows, strict=True):
        if not plan.has_work:
            continue
        counts = f" rows={tally.rows} holding={tally.holding}" if tally else ""
        click.echo(f"  {plan.layer:<10} {plan.name}{counts}  key: {', '.join(k.column for k in plan.keys) or '-'}")
        if plan.anonymise:
            click.echo(f"      anonymise (NULL): {', '.join(plan.anonymise)}")
        for column, paths in plan.json_paths.items():
            click.echo(f"      remove JSON fields of {column}: {', '.join(paths)}")
        for column in plan.scrub:
            found = f" ({tally.mentions.get(column, 0)} rows mention the subject)" if tally else ""
            click.echo(f"      scrub mentions of email/phone in {column}{found}")
    quiet = [plan.name for plan in erasure.plan.relations if not plan.has_work]
    if quiet:
        click.echo(f"  no personal column (nothing to do): {', '.join(quiet)}")
    if note:
        click.echo(note)


def _plan_dict(plan: Any) -> dict[str, Any]:
    return {"relation": plan.name, "layer": plan.layer, "anonymise": plan.anonymise,
            "json_fields_removed": plan.json_paths, "scrub_mentions": plan.scrub,
            "key_columns": [k.column for k in plan.keys]}
