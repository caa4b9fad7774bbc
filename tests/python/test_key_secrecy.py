"""The masking key never leaves its vault.

The attack that used to work: with the key in the environment, `dbt docs generate --static` wrote it
in clear into target/manifest.json, run_results.json and static_index.html (the docs site readers
get), a build put it into compiled hooks, logs/dbt.log and the DuckDB file (the body of the mask
macro), and every Snowflake join-key policy body carried it as a literal (`sha2('<key>' || val)`).

Here a recognisable key is set, a project copy with a keyed-hash join key (a masked column and a
model calling `governance.governance_keyed_hash`) is built, its docs generated, the Snowflake
masking SQL rendered, and every byte of every file under target/ and logs/, the DuckDB file, the
project directory and every command's output is searched for the key. The key is still in use:
the values it produces are checked against HMAC-SHA256 computed here.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from conftest import AS_OF, copy_project, load_raw, run_dbt
from masking_support import inject_classification

from governance.masking import keyed_hash

pytestmark = pytest.mark.slow

KEY = f"vault-canary-{uuid.uuid4().hex}"
KEYED_MODEL = """-- A pseudonymous customer key through the approved keyed hash (test only).
{{ config(contract={'enforced': false}) }}
select
    customer_id,
    {{ governance.governance_keyed_hash('email') }} as email_key
from {{ ref('dim_customers') }}
"""


def files_containing(root: Path, needle: bytes) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and needle in path.read_bytes():
            found.append(str(path.relative_to(root)))
    return found


def test_key_is_in_no_artifact_log_file_or_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    email = {"classification": 3, "pii": ["EMAIL_ADDRESS"], "mask_as": "join_key"}
    inject_classification(project, {"models/marts/core/_core__models.yml": {"dim_customers": {"email": email}}})
    (project / "models/marts/core/customer_email_keys.sql").write_text(KEYED_MODEL)
    database, target = tmp_path / "warehouse" / "analytics.duckdb", tmp_path / "target"
    database.parent.mkdir()
    load_raw(database, "--change-rows", "2000", "--as-of", AS_OF)
    env = {"GOVERNANCE_MASKING_HASH_KEY": KEY}
    outputs = [
        run_dbt(["seed"], project, database, target, **env),
        run_dbt(["run", "--select", "+dim_customers", "customer_email_keys"], project, database, target, **env),
        run_dbt(["docs", "generate", "--static"], project, database, target, **env),
        run_dbt(["run-operation", "governance.render_snowflake_masking", "--args", json.dumps({"cases": []})],
                project, database, target, **env),
    ]
    assert (target / "static_index.html").exists() and (target / "manifest.json").exists()
    assert any("GOVERNANCE_KEYED_HASH" in o.stdout for o in outputs), "the render shows the vault's function"
    needle = KEY.encode()
    for output in outputs:
        assert KEY not in output.stdout and KEY not in output.stderr
    assert files_containing(target, needle) == []
    assert files_containing(database.parent, needle) == []
    assert files_containing(project, needle) == []

    # the key is used: the model's keys and the reporter's join-key mask are HMAC-SHA256 under it
    monkeypatch.setenv("GOVERNANCE_MASKING_HASH_KEY", KEY)
    with keyed_hash.connect(str(database), read_only=True) as con:
        email, key = con.execute(
            "select d.email, k.email_key from marts.dim_customers d join marts.customer_email_keys k "
            "using (customer_id) where d.email is not null limit 1").fetchone()
        assert key == keyed_hash.keyed_hash(KEY, email)
        con.execute("set variable governance_role = 'reporter'")
        masked = con.execute("select email from marts_protected.dim_customers where email is not null "
                             "and customer_id = (select customer_id from marts.dim_customers where email = ?)",
                             [email]).fetchone()[0]
        assert masked == keyed_hash.keyed_hash(KEY, email) != email
    # without the key, the mask fails rather than returning anything unkeyed
    monkeypatch.delenv("GOVERNANCE_MASKING_HASH_KEY")
    with keyed_hash.connect(str(database), read_only=True) as con:
        con.execute("set variable governance_role = 'reporter'")
        with pytest.raises(Exception, match="GOVERNANCE_MASKING_HASH_KEY"):
            con.execute("select email from marts_protected.dim_customers where email is not null").fetchall()


def test_a_warehouse_without_a_key_in_the_environment_gets_its_own_key_file(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`make build` on a fresh machine: no key is handed out, so the plugin generates the warehouse's own key
    beside the DuckDB file (owner-only), once. The key is in no artifact, log, the DuckDB file or any output,
    the join keys are HMAC-SHA256 under it, and a second build keeps it (a new key would change every join key)."""
    monkeypatch.delenv("GOVERNANCE_MASKING_HASH_KEY", raising=False)
    database, target = tmp_path / "warehouse" / "analytics.duckdb", tmp_path / "target"
    database.parent.mkdir()
    load_raw(database, "--change-rows", "2000", "--as-of", AS_OF)
    project = copy_project(tmp_path / "project")
    outputs = [run_dbt(["seed"], project, database, target),
               run_dbt(["run", "--select", "+dim_customers"], project, database, target)]
    key_file = keyed_hash.key_file_for(database)
    assert key_file.is_file() and (key_file.stat().st_mode & 0o777) == 0o600
    key = key_file.read_text().strip()
    assert len(key) == 64
    outputs.append(run_dbt(["run", "--select", "dim_customers"], project, database, target))
    assert key_file.read_text().strip() == key, "a second build must keep the warehouse's key"
    needle = key.encode()
    for output in outputs:
        assert key not in output.stdout and key not in output.stderr
    assert files_containing(target, needle) == [] and files_containing(project, needle) == []
    assert files_containing(database.parent, needle) == [key_file.name]
    with keyed_hash.connect(str(database), read_only=True) as con:
        ref, masked = con.execute(
            "select d.customer_external_ref, p.customer_external_ref from marts.dim_customers d "
            "join marts_protected.dim_customers p using (customer_id) where d.customer_external_ref is not null "
            "limit 1").fetchone()
        assert masked == keyed_hash.keyed_hash(key, ref) != ref
    # a reader of another warehouse (no key file, no environment) gets an error, never an unkeyed value
    other = tmp_path / "copy" / "analytics.duckdb"
    other.parent.mkdir()
    other.write_bytes(database.read_bytes())
    with keyed_hash.connect(str(other), read_only=True) as con, \
            pytest.raises(Exception, match="GOVERNANCE_MASKING_HASH_KEY"):
        con.execute("select customer_external_ref from marts_protected.dim_customers").fetchall()
