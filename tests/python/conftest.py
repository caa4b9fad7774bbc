"""Shared fixtures: real dbt runs on real DuckDB files in temporary directories.

- `run_dbt(...)` runs the dbt CLI of this environment against a project directory and a DuckDB
  file, with its own target path so tests never touch the developer's target/ or warehouse/.
- `built_warehouse` (session): a raw layer loaded at a fixed as-of time and a full `dbt build`,
  shared read-only by every test that only needs to read built models or the manifest.
- `project_copy`: a private copy of the project for tests that edit YAML or SQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent
AS_OF = "2026-11-01"
SMALL_CHANGE_ROWS = "20000"
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".venv-*", ".airflow", ".governance", ".git", "target", "logs", "warehouse", "dbt_packages", "__pycache__", "*.duckdb*",
    ".pytest_cache", ".ruff_cache", "test-artifacts", "*.egg-info",
)

# presidio's email recognizer would otherwise try to download the public suffix list
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
# governance commands append their decisions to the warehouse's audit trail; tests that do not test
# the trail keep their fixtures' warehouses untouched (test_cli_and_kernel turns it on where it tests it)
os.environ.setdefault("GOVERNANCE_AUDIT", "0")


@dataclass(frozen=True)
class Warehouse:
    project_dir: Path
    database: Path
    target_path: Path

    @property
    def manifest(self) -> Path:
        return self.target_path / "manifest.json"

    def env(self) -> dict[str, str]:
        return dbt_env(self.project_dir, self.database, self.target_path)


def dbt_env(project_dir: Path, database: Path, target_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project_dir),
        "DBT_PROJECT_DIR": str(project_dir),
        "DBT_DUCKDB_PATH": str(database),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(target_path / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PATH": f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.update(extra)
    return env


def run_dbt(args: list[str], project_dir: Path, database: Path, target_path: Path, check: bool = True,
            timeout: int = 900, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>`; on failure (with check) the assertion shows dbt's output."""
    result = subprocess.run(
        [str(BIN_DIR / "dbt"), *args], cwd=project_dir, env=dbt_env(project_dir, database, target_path, **extra_env),
        capture_output=True, text=True, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-6000:]}\n"
                             f"{result.stderr[-3000:]}")
    return result


def load_raw(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(BIN_DIR / "load-raw"), "--database", str(database), "--quiet", *args],
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise AssertionError(f"load-raw {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def connect_reader(database: Path, read_only: bool = True):
    """A DuckDB connection that can evaluate the protected views' join-key masks (the keyed hash): under the
    warehouse's key file when it has one, else a throwaway reader key (for tests that look for clear values,
    where which key hashes does not matter)."""
    import duckdb

    from governance.masking import keyed_hash

    connection = duckdb.connect(str(database), read_only=read_only)
    key_file = keyed_hash.key_file_for(database)
    environ = {} if key_file.is_file() else {keyed_hash.DEFAULT_KEY_ENV: "test-reader-key"}
    keyed_hash.register(connection, environ=environ, key_file=key_file)
    return connection


def copy_project(destination: Path) -> Path:
    shutil.copytree(PROJECT_DIR, destination, ignore=COPY_IGNORE)
    link_local_packages(destination)
    return destination


def link_local_packages(project: Path) -> None:
    """What `dbt deps` does for the project's one `local:` package (the governance dbt package inside
    the copy), without a dbt start-up per copy: link it into dbt_packages/."""
    packages = project / "dbt_packages"
    packages.mkdir(exist_ok=True)
    link = packages / "governance"
    if not link.exists():
        link.symlink_to(project / "governance" / "dbt_package", target_is_directory=True)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A small raw layer (fixed as-of) and a full `dbt build` of the real project. Read-only."""
    root = tmp_path_factory.mktemp("built")
    warehouse = Warehouse(PROJECT_DIR, root / "analytics.duckdb", root / "target")
    load_raw(warehouse.database, "--change-rows", SMALL_CHANGE_ROWS, "--as-of", AS_OF)
    run_dbt(["build"], PROJECT_DIR, warehouse.database, warehouse.target_path)
    return warehouse


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the project (sources, models, macros, tests, YAML) to edit freely."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def compiled_manifest(tmp_path_factory: pytest.TempPathFactory):
    """`compiled_manifest(project_dir)`: `dbt compile` of a dbt project directory into a private
    target path (once per session and directory); returns the manifest path. Read-only."""
    cache: dict[Path, Path] = {}

    def compile_project(project_dir: Path = PROJECT_DIR) -> Path:
        if project_dir not in cache:
            root = tmp_path_factory.mktemp("compiled")
            run_dbt(["compile"], project_dir, root / "compile.duckdb", root / "target")
            cache[project_dir] = root / "target" / "manifest.json"
        return cache[project_dir]

    return compile_project


CLASSIFICATION_KEYS = ("classification", "pii", "scan_decided_by", "scan_score", "scan_coverage", "lineage_sources",
                       "classification_note")


def strip_classification(project: Path, markers: tuple[str, ...] = ("scan", "lineage")) -> int:
    """Remove the classification meta the given writers set from every YAML file of a project copy
    (`manual` included only when asked), so a test starts from a known state. Returns the count."""
    from governance.project.yaml_io import YamlFile, clear_classification

    removed = 0
    for path in [*project.glob("models/**/*.yml"), *project.glob("snapshots/*.yml"), *project.glob("seeds/*.yml")]:
        document = YamlFile.load(path)
        for key in ("sources", "models", "snapshots", "seeds"):
            for node in document.data.get(key) or []:
                for parent in [node, *(node.get("tables") or [])]:
                    for column in parent.get("columns") or []:
                        removed += sum(clear_classification(column, marker, CLASSIFICATION_KEYS) for marker in markers)
        document.save()
    return removed
