"""Orchestration of the daily loop with Airflow and astronomer-cosmos.

This package is imported by Airflow (in its own virtual environment, `.venv-airflow`), never by the
project's environment: Airflow 3 needs SQLAlchemy 2 and Permifrost needs SQLAlchemy 1.4. The tasks run
the project's own executables (`dbt`, `governance`) from `.venv` as subprocesses.
"""
