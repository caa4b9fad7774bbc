"""The daily loop of the governed analytics project, as an Airflow DAG rendered by astronomer-cosmos.

    source freshness (replication lag) -> governance scan gate -> dbt build (one task per model, seed and
    snapshot, then one per node's tests) -> governance check + masking audit -> docs overview -> dbt docs

Cosmos renders the dbt part from the project's manifest (LoadMode.DBT_MANIFEST): parsing this file reads a
JSON file and never starts dbt, so the scheduler's parse stays fast. The manifest comes from `dbt parse`
(`make airflow` runs it; a deployment builds it into the image). Every dbt and governance command runs the
project's own executables from `.venv` (see orchestration/project_commands.py). Settings come from the
environment (orchestration/settings.py); the warehouse credentials from the Airflow connection.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, DeadlineAlert, DeadlineReference, SyncCallback
from cosmos import DbtTaskGroup, ExecutionConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior

from orchestration import events, project_commands
from orchestration.settings import load_settings

DAG_ID = "governed_analytics_daily"
settings = load_settings()

if not settings.manifest_path.is_file():
    raise FileNotFoundError(
        f"dbt manifest not found at {settings.manifest_path}: run `dbt parse` in the project "
        "(`make airflow` does), or set GOVERNED_ANALYTICS_MANIFEST"
    )

default_args = {
    "owner": "data-platform",
    "retries": settings.retries,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=1),
    "on_failure_callback": events.on_task_failure,
    "on_retry_callback": events.on_task_retry,
}

# Governance gates are deterministic: a retry gives the same answer, so they fail at once.
GATE_ARGS = {"retries": 0, "execution_timeout": timedelta(minutes=30)}

with DAG(
    dag_id=DAG_ID,
    description="Daily loop: freshness, governance scan gate, dbt build (Cosmos), governance check, masking audit, docs",
    schedule=settings.schedule,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,  # incremental models: one run at a time, in order
    # An embedded DuckDB file takes one writer at a time; Snowflake runs independent models in parallel.
    max_active_tasks=1 if settings.is_duckdb else 8,
    dagrun_timeout=timedelta(hours=4),
    # Airflow 3 has no SLAs; a deadline alert replaces them: the run should be done 2 h after it is queued.
    deadline=DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=timedelta(hours=2),
        callback=SyncCallback(events.on_deadline_missed, kwargs={"deadline_name": "daily_loop_2h"}),
    ),
    default_args=default_args,
    on_failure_callback=events.on_dag_run_failure,
    on_success_callback=events.on_dag_run_success,
    tags=["dbt", "governance", "daily"],
    doc_md=__doc__,
) as dag:
    source_freshness = PythonOperator(
        task_id="source_freshness_and_replication_lag",
        python_callable=project_commands.dbt_source_freshness,
        op_args=[settings],
        doc_md="`dbt source freshness`; the Qlik change tables' freshness is their replication lag.",
    )
    scan_gate = PythonOperator(
        task_id="governance_scan_gate",
        python_callable=project_commands.governance_scan_gate,
        op_args=[settings],
        doc_md="`governance scan --dry-run --fail-on-unclassified`: no dbt build while a personal column is unclassified.",
        **GATE_ARGS,
    )
    dbt_build = DbtTaskGroup(
        group_id="dbt_build",
        project_config=ProjectConfig(
            dbt_project_path=settings.project_dir,
            manifest_path=settings.manifest_path,
            project_name="analytics",
            install_dbt_deps=False,  # packages.yml lists none; `make setup` runs dbt deps
        ),
        profile_config=project_commands.profile_config(settings),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.SUBPROCESS,
            dbt_executable_path=str(settings.dbt_executable),
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.AFTER_EACH,
            select=settings.select,
            exclude=settings.exclude,
            emit_datasets=False,
            enable_mock_profile=False,
        ),
        operator_args={"install_deps": False},
    )
    check = PythonOperator(
        task_id="governance_check",
        python_callable=project_commands.governance_check,
        op_args=[settings],
        doc_md="`governance check`: every column derived from level 3-4 data is classified.",
        **GATE_ARGS,
    )
    masking_audit = PythonOperator(
        task_id="governance_masking_audit",
        python_callable=project_commands.governance_masking_audit,
        op_args=[settings],
        doc_md="`governance protected`: every protected column is masked as the policy says.",
        **GATE_ARGS,
    )
    docs_overview = PythonOperator(
        task_id="governance_docs_overview",
        python_callable=project_commands.governance_docs_overview,
        op_args=[settings],
    )
    docs_generate = PythonOperator(
        task_id="dbt_docs_generate",
        python_callable=project_commands.dbt_docs_generate,
        op_args=[settings],
    )

    source_freshness >> scan_gate >> dbt_build >> [check, masking_audit] >> docs_overview >> docs_generate
