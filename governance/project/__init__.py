"""The kernel: the only code that reads dbt's files (dbt_project.yml, profiles, manifests, property
YAML) and runs dbt. Capability packages ask a `DbtProject` for what they need.

| module | what it owns |
|---|---|
| dbt_project | locating the project, dbt_project.yml (with line numbers), its folders |
| profiles | the profile target, rendered by dbt's own renderer |
| runner | `dbt parse` / `dbt compile` through dbt's programmatic runner |
| manifest | the manifest provider and its cache; reading a manifest |
| properties | the index of property YAML (read-only) and source declarations |
| yaml_io | round-trip editing and atomic writes of YAML and generated files |
| meta | the one reading of a column's meta |
| warehouse | a DB-API connection to the target's warehouse |
"""

from governance.project.dbt_project import DbtProject, find_project_dir
from governance.project.manifest import load_manifest, project_nodes
from governance.project.meta import column_meta
from governance.project.yaml_io import write_atomic

__all__ = ["DbtProject", "column_meta", "find_project_dir", "load_manifest", "project_nodes", "write_atomic"]
