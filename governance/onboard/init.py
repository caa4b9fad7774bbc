"""`governance init`: onboard an existing dbt project.

Writes, each step only when it is missing (a second run changes nothing):

1. a starter policy under `vars.governance` in dbt_project.yml (governance.onboard.starter), with
   grants naming the project's own schemas (from a `dbt parse` of the project as it is); an existing
   policy is kept unless `force`;
2. the governance dbt package in packages.yml: a `local:` entry pointing at the copy installed with
   the Python package (relative when it lies inside the project, as in a repository that vendors it);
3. the masking hooks: `{{ governance.create_masks() }}` on-run-start, `{{ governance.apply_masking() }}`
   as post-hook of the project's models, seeds and snapshots, and the `dispatch` entry that lets the
   project override the package's macros;
4. the resolved-policy macro (`governance policy --write`);
5. the one-line override of dbt's is_incremental() that routes it through the governance package, so
   `governance check` analyses the incremental branch of every incremental model too (an existing
   is_incremental macro of the project is kept and named for review).

Everything is edited round-trip (comments and layout kept) and validated before anything is written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from governance.errors import GovernanceError, PolicyError
from governance.policy import load_policy, parse_policy
from governance.policy.resolved import COMMAND, resolved_file
from governance.project import DbtProject, write_atomic
from governance.project.yaml_io import YamlFile

from .starter import SECTION_COMMENTS, STARTER_POLICY, starter_grants

CREATE_MASKS = "{{ governance.create_masks() }}"
APPLY_MASKING = "{{ governance.apply_masking() }}"
HOOKED_RESOURCES = ("models", "seeds", "snapshots")
PACKAGE_NAME = "governance"


@dataclass
class InitReport:
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


def dbt_package_dir() -> Path:
    """The governance dbt package shipped inside the installed Python package."""
    return Path(__file__).resolve().parents[1] / "dbt_package"


def package_path_for(project: DbtProject) -> str:
    """The `local:` path of the package for this project: relative when inside it, else absolute."""
    package = dbt_package_dir()
    root = project.root.resolve()
    return package.relative_to(root).as_posix() if package.is_relative_to(root) else package.as_posix()


def init_project(project: DbtProject, force: bool = False) -> InitReport:
    report = InitReport()
    document = project.edit()
    data = document.data
    if not isinstance(data, dict):
        raise GovernanceError(f"{project.project_file}: must be a mapping")
    variables = data.get("vars")
    has_policy = isinstance(variables, dict) and isinstance(variables.get("governance"), dict)

    if has_policy and not force:
        report.kept.append(f"{project.project_file.name}: vars.governance exists; kept (--force replaces it "
                           "with the starter policy)")
    else:
        schemas = _project_schemas(project, report)
        policy = _starter_policy(document, project, schemas)
        if not isinstance(variables, dict):
            variables = CommentedMap()
            data["vars"] = variables
        if has_policy:
            variables.ca.items.pop("governance", None)  # comments of the policy being replaced
        variables["governance"] = policy
        report.changed.append(f"{project.project_file.name}: starter policy under vars.governance"
                              + (" (replaced the existing one)" if has_policy else ""))
        report.review += [
            "vars.governance.levels and entity_levels: the levels and which PII entities reach them",
            "vars.governance.roles and default_role: your Snowflake roles, who is cleared for which level",
            "vars.governance.masking: the mask of each level and category; if a column is masked as join_key: "
            "on DuckDB add `plugins: [{module: governance.masking.keyed_hash, config: {key_file: <database>.key}}]` "
            "to the profile's target: the key named by hash_key_env (GOVERNANCE_MASKING_HASH_KEY) comes from the "
            "environment, else from that per-warehouse file, generated on first use (read at query time, never in "
            "SQL or artifacts); on Snowflake the masking administrator deploys the key's vault "
            "(`dbt run-operation governance.deploy_masking`)",
            "vars.governance.grants: production database names, warehouses, the schemas each role reads and "
            "writes (they name the schemas of the current target), service users",
        ]

    _hooks(data, project.name, report)
    _validate(data, project)

    packages = project.edit("packages.yml", missing="packages: []\n")
    _package_entry(packages, project, report)

    document.save()
    if packages.save():
        report.changed.append(f"packages.yml: local package {package_path_for(project)}")
        report.review.append("run `dbt deps` to install the governance dbt package")
    _resolved_policy(project, report)
    _is_incremental_override(project, report)
    report.review += [
        "then: `governance scan` (classify the sources), `governance propagate`, `governance check`, "
        "`dbt build` (masking), `governance protected`, `governance roles`, `governance docs`",
    ]
    return report


def _project_schemas(project: DbtProject, report: InitReport) -> tuple[list[str], list[str]]:
    """(source schemas, built schemas) of the project as it parses now; empty when it does not parse."""
    try:
        manifest = project.manifests.get("parse")
    except GovernanceError as exc:
        report.review.append(f"grants name no schema: the project did not parse ({exc}); add them by hand")
        return [], []
    sources = sorted({str(s.get("schema") or "").lower() for s in (manifest.get("sources") or {}).values()} - {""})
    built = sorted({
        str(n.get("schema") or "").lower() for n in (manifest.get("nodes") or {}).values()
        if n.get("resource_type") in ("model", "seed", "snapshot")
        and (n.get("config") or {}).get("materialized") != "ephemeral"
    } - {""})
    return sources, built


def _flow(value: Any) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap((k, _flow(v)) for k, v in value.items())
        if all(not isinstance(v, (dict, list)) for v in value.values()) and value:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        seq = CommentedSeq(_flow(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    return value


def _starter_policy(document: YamlFile, project: DbtProject, schemas: tuple[list[str], list[str]]) -> CommentedMap:
    policy = document.fragment(STARTER_POLICY)
    database = project.name.lower() or "analytics"
    policy["grants"] = _flow(starter_grants(database, *schemas))
    for key, comment in SECTION_COMMENTS.items():
        policy.yaml_set_comment_before_after_key(key, before=comment, indent=4)
    return policy


def _mentions(value: Any, call: str) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and call.split("(")[0].strip("{ ") in item for item in items)


def _append_hook(parent: Any, key: str, hook: str) -> bool:
    current = parent.get(key)
    if current is None:
        parent[key] = hook
        return True
    if _mentions(current, hook):
        return False
    if isinstance(current, list):
        current.append(hook)
    else:
        parent[key] = CommentedSeq([current, hook])
    return True


def _hooks(data: Any, project_name: str, report: InitReport) -> None:
    if _append_hook(data, "on-run-start", CREATE_MASKS):
        report.changed.append(f"dbt_project.yml: on-run-start {CREATE_MASKS}")
    for resource in HOOKED_RESOURCES:
        section = data.get(resource)
        if not isinstance(section, dict):
            section = CommentedMap()
            data[resource] = section
        config = section.get(project_name)
        if not isinstance(config, dict):
            config = CommentedMap()
            section[project_name] = config
        key = "post-hook" if "post-hook" in config and "+post-hook" not in config else "+post-hook"
        if _append_hook(config, key, APPLY_MASKING):
            report.changed.append(f"dbt_project.yml: {resource}.{project_name}.{key} {APPLY_MASKING}")
    dispatch = data.get("dispatch")
    if not isinstance(dispatch, list):
        dispatch = CommentedSeq()
        data["dispatch"] = dispatch
    if not any(isinstance(d, dict) and d.get("macro_namespace") == PACKAGE_NAME for d in dispatch):
        dispatch.append(_flow({"macro_namespace": PACKAGE_NAME, "search_order": [project_name, PACKAGE_NAME]}))
        report.changed.append(f"dbt_project.yml: dispatch of the {PACKAGE_NAME} macros ({project_name} overrides)")


def _validate(data: Any, project: DbtProject) -> None:
    """The policy as it will be written must be valid (nothing is written otherwise)."""
    raw = (data.get("vars") or {}).get("governance")
    try:
        parse_policy(raw, project.project_file)
    except PolicyError as exc:
        raise PolicyError(f"{exc} (nothing written)") from exc


def _package_entry(packages: YamlFile, project: DbtProject, report: InitReport) -> None:
    data = packages.data
    entries = data.get("packages")
    if not isinstance(entries, list):
        entries = CommentedSeq()
        data["packages"] = entries
    wanted = (project.root / package_path_for(project)).resolve()
    for entry in entries:
        local = entry.get("local") if isinstance(entry, dict) else None
        if local is not None and (project.root / os.path.expanduser(str(local))).resolve() == wanted:
            report.kept.append(f"packages.yml: the governance package is listed ({local})")
            return
    entries.append(CommentedMap([("local", package_path_for(project))]))


def _resolved_policy(project: DbtProject, report: InitReport) -> None:
    fresh = DbtProject.locate(project.root, profiles_dir=project.profiles_dir, target=project.target_name,
                              cli_vars=project.cli_vars)
    resolved = resolved_file(fresh, load_policy(fresh))
    if resolved.up_to_date:
        report.kept.append(f"{resolved.path.relative_to(fresh.root)}: up to date")
        return
    resolved.path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(resolved.path, resolved.wanted)
    report.changed.append(f"{resolved.path.relative_to(fresh.root)}: the resolved policy (`{COMMAND}`)")


IS_INCREMENTAL_OVERRIDE = """{#
    Replaces dbt's built-in is_incremental() (dbt-core, materializations/models/incremental/
    is_incremental.sql). The governance package's version answers as dbt's does, except in the compiles
    `governance check` runs to analyse the incremental branch of every incremental model (written by
    `governance init`).
#}
{% macro is_incremental() -%}
    {{ return(governance.is_incremental()) }}
{%- endmacro %}
"""
_DEFINES_IS_INCREMENTAL = re.compile(r"\{%-?\s*macro\s+is_incremental\s*\(")


def _is_incremental_override(project: DbtProject, report: InitReport) -> None:
    folders = project.paths("macro-paths") or [project.root / "macros"]
    for folder in folders:
        for path in sorted(folder.rglob("*.sql")) if folder.is_dir() else ():
            text = path.read_text(encoding="utf-8", errors="replace")
            if _DEFINES_IS_INCREMENTAL.search(text):
                relative = path.relative_to(project.root)
                if "governance.is_incremental()" in text:
                    report.kept.append(f"{relative}: is_incremental() routed through the governance package")
                else:
                    report.review.append(f"{relative}: the project's own is_incremental(); make it return "
                                         "governance.is_incremental() so `governance check` analyses incremental "
                                         "branches (until then it reports them as not analysed)")
                return
    path = folders[0] / "overrides" / "is_incremental.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, IS_INCREMENTAL_OVERRIDE)
    report.changed.append(f"{path.relative_to(project.root)}: is_incremental() routed through the governance package")
