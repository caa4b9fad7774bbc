"""The resolved policy: the generated macro the governance dbt package reads matches the Python policy.

Python is the one implementation of the masking rules (governance.policy); `governance policy --write`
renders their results into macros/governance/resolved_policy.sql. Here dbt itself renders the
package's lookups (`dbt run-operation governance.render_policy_lookups`) and every result is compared
with Python's: the resolved dict (fingerprint included, so the Jinja fingerprint equals Python's), per
role the effective clearance, per level the roles cleared and the roles a Snowflake policy checks, per
masked level and category the mask, per type name the family and Snowflake policy type, and for
every case of the column rules kept as a Jinja lookup (meta merge, column category) the category,
mask and Snowflake policy name.

Mutations: a hand-edited generated file fails `governance policy --check` (and the parity check); a
policy edit without `--write` makes the macros refuse to run, naming the command; an invalid policy
is refused by `--write`, naming the key, and nothing is written.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import BIN_DIR, PROJECT_DIR, copy_project, run_dbt
from ruamel.yaml import YAML

from governance.policy import MASK_CATEGORIES, Policy, load_policy
from governance.policy.masking import category_for, snowflake_policy_name, snowflake_policy_type, type_family
from governance.policy.resolved import KNOWN_TYPES, fingerprint, resolve, resolved_path
from governance.project import DbtProject, column_meta

TYPES = [
    *KNOWN_TYPES, "varchar(3)", " Decimal(18, 2) ", "timestamp with time zone", "TIMESTAMP_NS", "TIMESTAMP(6)",
    "STRUCT(a INTEGER)", "INTEGER[]", "MAP(VARCHAR, INTEGER)", "",
]
METAS: list[dict[str, Any]] = [
    {"meta": {"classification": 3}},
    {"meta": {"classification": 3, "pii": ["EMAIL_ADDRESS"]}},
    {"config": {"meta": {"classification": 3, "pii": ["PHONE_NUMBER"]}}},
    {"config": {"meta": {"classification": 3, "pii": ["PERSON"]}}},
    {"config": {"meta": {"classification": 3, "pii": ["EMAIL_ADDRESS", "PHONE_NUMBER"]}}},
    {"config": {"meta": {"classification": 3, "pii": ["EMAIL_ADDRESS", "PERSON"]}}},
    {"config": {"meta": {"classification": 3, "pii": ["EMAIL_ADDRESS", "EMAIL_ADDRESS"]}}},
    {"config": {"meta": {"classification": 3, "pii": ["EMAIL_ADDRESS"], "mask_as": "join_key"}}},
    {"config": {"meta": {"classification": 3, "mask_as": "email"}}},
    {"config": {"meta": {"classification": 3, "pii": ["PHONE_NUMBER"], "mask_as": "not_a_category"}}},
    {"config": {"meta": {"classification": 4, "pii": ["CREDIT_CARD"]}}},
    {"config": {"meta": {"classification": 4, "pii": ["EMAIL_ADDRESS"], "mask_as": "phone"}}},
    {"config": {"meta": {"classification": 4, "pii": ["EMAIL_ADDRESS"]}}},
    {"config": {"meta": {"classification": 4, "mask_as": "join_key"}}},
    {"config": {"meta": {"classification": 2, "pii": ["POSTAL_CODE"]}}},
    {"config": {"meta": {"pii": ["EMAIL_ADDRESS"]}}},
    {},
    # the meta merge: config.meta wins over the deprecated top-level meta, key by key
    {"meta": {"classification": 2, "pii": ["EMAIL_ADDRESS"]}, "config": {"meta": {"classification": 3}}},
    {"meta": {"classification": 4, "mask_as": "join_key"}, "config": {"meta": {"mask_as": "text"}}},
    {"meta": {"classification": 3}, "config": {}},
]
COLUMN_TYPES = [("VARCHAR", 16777216), ("VARCHAR(3)", 3), ("TEXT", None), ("INTEGER", None), ("DECIMAL(18,2)", None),
                ("DOUBLE", None), ("DATE", None), ("TIMESTAMP", None), ("TIMESTAMP WITH TIME ZONE", None),
                ("BOOLEAN", None), ("BLOB", None), ("TIMESTAMP_NS", None)]


def plain(value: Any) -> Any:
    """JSON's view of a value (int keys become strings), as dbt's `tojson` prints it."""
    return json.loads(json.dumps(value))


def lookups(project: Path, root: Path, check: bool = True, **args: Any) -> subprocess.CompletedProcess[str]:
    return run_dbt(["run-operation", "governance.render_policy_lookups", "--args", json.dumps(args)],
                   project, root / "lookups.duckdb", root / "target", check=check)


def printed(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    line = next(ln for ln in result.stdout.splitlines() if "GOVERNANCE_LOOKUPS " in ln)
    return json.loads(line.split("GOVERNANCE_LOOKUPS ", 1)[1])


def governance(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN_DIR / "governance"), *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("resolved") / "project")


@pytest.fixture(scope="module")
def rendered(copy: Path) -> tuple[Policy, dict[str, Any]]:
    columns = [{"column": meta, "data_type": data_type, "char_size": size}
               for meta, (data_type, size) in itertools.product(METAS, COLUMN_TYPES)]
    result = lookups(copy, copy.parent, types=TYPES, columns=columns)
    return load_policy(copy), printed(result)


def test_the_committed_resolved_policy_is_up_to_date() -> None:
    """CI fails on a stale generated file (the pre-commit hook runs the same check)."""
    result = governance("policy", "--check", "--project-dir", str(PROJECT_DIR))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def test_dbt_reads_exactly_the_python_resolution(rendered: tuple[Policy, dict[str, Any]]) -> None:
    policy, out = rendered
    # the Jinja fingerprint of var('governance') equals Python's, or the macro would have refused
    assert out["policy"]["fingerprint"] == fingerprint(policy.raw)
    assert out["policy"] == plain(resolve(policy))


def test_roles_levels_and_masks_match_the_policy(rendered: tuple[Policy, dict[str, Any]]) -> None:
    policy, out = rendered
    resolved = out["policy"]
    for role in policy.roles:
        assert resolved["clearance"][role] == policy.effective_clearance(role), role
    for level in policy.levels:
        cleared = sorted(r for r in policy.roles if policy.is_cleared(r, level))
        assert resolved["roles_cleared"][str(level)] == cleared, level
    assert resolved["masked_levels"] == policy.masked_levels
    for level in policy.masked_levels:
        # service roles but the loaders (they never read modelled data), and the level's clearance roles
        builders = set(policy.service_roles) - set(policy.grants.raw_writers)
        wanted = sorted({r.upper() for r in (*builders, *policy.clearance_roles_for(level))})
        assert resolved["policy_roles"][str(level)] == wanted, level
        for category in MASK_CATEGORIES:
            assert resolved["masks"][str(level)][category] == policy.masking.mask_for(level, category)
    assert resolved["default_role"] == policy.default_role
    assert resolved["hash_key_env"] == policy.masking.hash_key_env


def test_every_type_name_gets_the_python_family_and_snowflake_type(rendered: tuple[Policy, dict[str, Any]]) -> None:
    _, out = rendered
    for name, info in zip(TYPES, out["types"], strict=True):
        assert info == {"family": type_family(name), "snowflake": snowflake_policy_type(name)}, name


def test_every_column_case_gets_the_python_category_mask_and_policy_name(
        rendered: tuple[Policy, dict[str, Any]]) -> None:
    policy, out = rendered
    cases = list(itertools.product(METAS, COLUMN_TYPES))
    assert len(out["columns"]) == len(cases)
    masked_seen = set()
    for (column, (data_type, size)), got in zip(cases, out["columns"], strict=True):
        meta = column_meta(column)
        where = f"{column} as {data_type}"
        assert got["meta"] == meta, where
        category = category_for(meta, type_family(data_type), policy)
        assert got["category"] == category, where
        level = meta.get("classification")
        if level not in policy.masked_levels:
            assert got["plan"] == [], where
            continue
        mask = policy.masking.mask_for(level, category)
        [entry] = got["plan"]
        assert (entry["level"], entry["category"], entry["mask"]) == (level, category, mask), where
        assert got["snowflake_policy"] == snowflake_policy_name(level, data_type, category, mask, size), where
        masked_seen.add((level, category))
    # the cases reach every category of every masked level
    assert masked_seen >= {(level, c) for level in policy.masked_levels for c in MASK_CATEGORIES}


def test_a_hand_edited_resolved_file_fails_the_check(copy: Path, tmp_path: Path) -> None:
    path = resolved_path(DbtProject.locate(copy))
    original = path.read_text()
    assert "'email': 'keep_domain'" in original
    path.write_text(original.replace("'email': 'keep_domain'", "'email': 'redact'", 1))
    try:
        check = governance("policy", "--check", "--project-dir", str(copy))
        assert check.returncode == 1 and "stale" in check.stderr, check.stderr
        assert "+            'email': 'keep_domain'," in check.stdout.splitlines(), check.stdout
        # the parity comparison notices it too: dbt now reads a mask Python does not resolve
        edited = printed(lookups(copy, tmp_path))["policy"]
        assert edited != plain(resolve(load_policy(copy)))
    finally:
        path.write_text(original)
    assert governance("policy", "--check", "--project-dir", str(copy)).returncode == 0


def test_a_policy_edit_without_write_makes_the_macros_refuse(copy: Path, tmp_path: Path) -> None:
    project_file = copy / "dbt_project.yml"
    original = project_file.read_text()
    resolved = resolved_path(DbtProject.locate(copy))
    before = resolved.read_text()
    yaml = YAML()
    document = yaml.load(original)
    document["vars"]["governance"]["masking"]["levels"][3]["email"] = "redact"
    with project_file.open("w") as handle:
        yaml.dump(document, handle)
    try:
        refused = lookups(copy, tmp_path, check=False)
        assert refused.returncode != 0
        assert "stale" in refused.stdout and "governance policy --write" in refused.stdout, refused.stdout[-3000:]
        check = governance("policy", "--check", "--project-dir", str(copy))
        assert check.returncode == 1 and "governance policy --write" in check.stderr
        written = governance("policy", "--write", "--project-dir", str(copy))
        assert written.returncode == 0 and "wrote" in written.stdout
        again = governance("policy", "--write", "--project-dir", str(copy))
        assert again.returncode == 0 and "up to date" in again.stdout  # idempotent: not rewritten
        out = printed(lookups(copy, tmp_path))
        assert out["policy"]["masks"]["3"]["email"] == "redact"
        # an invalid key: --write refuses, names file and key, and writes nothing
        current = resolved.read_text()
        document["vars"]["governance"]["masking"]["levels"][3]["email"] = "truncate_to_year"
        with project_file.open("w") as handle:
            yaml.dump(document, handle)
        invalid = governance("policy", "--write", "--project-dir", str(copy))
        assert invalid.returncode == 2 and "masking.levels.3.email" in invalid.stderr
        assert str(project_file) in invalid.stderr and resolved.read_text() == current
    finally:
        project_file.write_text(original)
        resolved.write_text(before)
