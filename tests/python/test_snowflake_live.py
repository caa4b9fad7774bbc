"""dbt-snowflake and the governance DDL on a REAL Snowflake account.

Skipped (with the reason) unless credentials are in the environment:
  SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER and SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH
  (+ optional SNOWFLAKE_PRIVATE_KEY_PASSPHRASE, SNOWFLAKE_ROLE, SNOWFLAKE_WAREHOUSE).
  SNOWFLAKE_DATABASE must name a SCRATCH database these tests may write (raw layer + every schema);
  SNOWFLAKE_SCHEMA (default DBT_CI) prefixes the schemas (DBT_CI_MARTS, ...).
  For the permifrost check, the user must be able to use SNOWFLAKE_SECURITYADMIN_ROLE (SECURITYADMIN).

What the emulator cannot show is checked here: `dbt debug` and a full `dbt build` on Snowflake,
masking enforced by role (counts of clear-looking values only; no value is ever printed), and
`permifrost run <roles.yml> --dry`.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import AS_OF, BIN_DIR, PROJECT_DIR, load_raw, run_dbt

HAS_SECRET = bool(os.environ.get("SNOWFLAKE_PASSWORD") or os.environ.get("SNOWFLAKE_PRIVATE_KEY_PATH"))
HAS_ACCOUNT = bool(os.environ.get("SNOWFLAKE_ACCOUNT") and os.environ.get("SNOWFLAKE_USER"))
HAS_SCRATCH = bool(os.environ.get("SNOWFLAKE_DATABASE"))
pytestmark = [
    pytest.mark.snowflake,
    pytest.mark.skipif(
        not (HAS_ACCOUNT and HAS_SECRET and HAS_SCRATCH),
        reason="needs a real Snowflake account: set SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PASSWORD "
               "(or SNOWFLAKE_PRIVATE_KEY_PATH) and SNOWFLAKE_DATABASE (a scratch database)"),
]

TIMEOUT = 1800
CLEAR_CARD = re.compile(r"^[0-9]{12,19}$")


def profile_dir(tmp: Path) -> Path:
    """The project's `snowflake` target (key pair: the dbt service user); a password copy of it for a test account
    whose user has a password."""
    if not os.environ.get("SNOWFLAKE_PASSWORD"):
        return PROJECT_DIR
    (tmp / "profiles.yml").write_text("""analytics:
  target: snowflake
  outputs:
    snowflake:
      type: snowflake
      account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"
      user: "{{ env_var('SNOWFLAKE_USER') }}"
      password: "{{ env_var('SNOWFLAKE_PASSWORD') }}"
      role: "{{ env_var('SNOWFLAKE_ROLE', 'TRANSFORMER') }}"
      warehouse: "{{ env_var('SNOWFLAKE_WAREHOUSE', 'TRANSFORMING') }}"
      database: "{{ env_var('SNOWFLAKE_DATABASE') }}"
      schema: "{{ env_var('SNOWFLAKE_SCHEMA') }}"
      threads: 8
""")
    return tmp


def connect(role: str | None = None):
    import snowflake.connector

    settings = {"account": os.environ["SNOWFLAKE_ACCOUNT"], "user": os.environ["SNOWFLAKE_USER"],
                "warehouse": os.environ.get("SNOWFLAKE_WAREHOUSE", "TRANSFORMING"),
                "database": os.environ["SNOWFLAKE_DATABASE"]}
    if os.environ.get("SNOWFLAKE_PASSWORD"):
        settings["password"] = os.environ["SNOWFLAKE_PASSWORD"]
    else:
        settings["private_key_file"] = os.environ["SNOWFLAKE_PRIVATE_KEY_PATH"]
        if os.environ.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"):
            settings["private_key_file_pwd"] = os.environ["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"]
    if role:
        settings["role"] = role
    return snowflake.connector.connect(**settings)


def dbt(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    profiles = profile_dir(tmp)
    return run_dbt(args, PROJECT_DIR, tmp / "unused.duckdb", tmp / "target", timeout=TIMEOUT,
                   DBT_TARGET="snowflake", DBT_PROFILES_DIR=str(profiles),
                   SNOWFLAKE_SCHEMA=os.environ.get("SNOWFLAKE_SCHEMA", "DBT_CI"))


@pytest.fixture(scope="module")
def live_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small raw layer copied into the scratch database, then a full `dbt build` on Snowflake."""
    from raw_loader.snowflake_copy import copy_raw_layer

    tmp = tmp_path_factory.mktemp("snowflake_live")
    source = tmp / "source.duckdb"
    load_raw(source, "--change-rows", "3000", "--as-of", AS_OF)
    role = os.environ.get("SNOWFLAKE_ROLE")
    with duckdb.connect(str(source), read_only=True) as duck, connect(role) as snow:
        copy_raw_layer(duck, snow, os.environ["SNOWFLAKE_DATABASE"])
    dbt(["build"], tmp)
    return tmp


def test_dbt_debug(tmp_path: Path) -> None:
    result = dbt(["debug"], tmp_path)
    assert "All checks passed" in result.stdout


def test_full_build_on_snowflake(live_build: Path) -> None:
    assert (live_build / "target" / "run_results.json").exists()


def marts_schema(custom: str) -> str:
    return f"{os.environ.get('SNOWFLAKE_SCHEMA', 'DBT_CI')}_{custom}".upper()


@pytest.mark.parametrize("role", ["reporter", "analyst", "finance_analyst"])
def test_masking_is_enforced_by_role(live_build: Path, role: str) -> None:
    """Card numbers (Restricted, level 4) are clear only for roles cleared for level 4."""
    from governance.policy import load_policy

    policy = load_policy(PROJECT_DIR)
    try:
        con = connect(role.upper())
    except Exception as exc:  # the test user was not granted this role
        pytest.skip(f"the test user cannot use role {role.upper()}: {type(exc).__name__}")
    with con:
        cur = con.cursor()
        cur.execute(f"select card_number from {marts_schema('finance')}.fct_payments "
                    "where card_number is not null")
        values = [row[0] for row in cur.fetchall()]
    assert values, "fct_payments has no card numbers to check"
    clear = sum(1 for v in values if CLEAR_CARD.match(str(v)))
    if policy.is_cleared(role, 4):
        assert clear == len(values), f"{role} is cleared for level 4 but {len(values) - clear} are masked"
    else:
        assert clear == 0, f"{role} is not cleared for level 4 but sees {clear} card numbers in clear"


def test_permifrost_dry_run() -> None:
    spec = next((p for p in (Path(os.environ.get("PERMIFROST_SPEC", "")), PROJECT_DIR / "roles.yml",
                             PROJECT_DIR / "permifrost" / "roles.yml") if p.is_file()), None)
    if spec is None:
        pytest.skip("no roles.yml found (PERMIFROST_SPEC, roles.yml or permifrost/roles.yml)")
    env = {**os.environ,
           "PERMISSION_BOT_ACCOUNT": os.environ["SNOWFLAKE_ACCOUNT"],
           "PERMISSION_BOT_USER": os.environ["SNOWFLAKE_USER"],
           "PERMISSION_BOT_WAREHOUSE": os.environ.get("SNOWFLAKE_WAREHOUSE", "TRANSFORMING"),
           "PERMISSION_BOT_DATABASE": os.environ["SNOWFLAKE_DATABASE"],
           "PERMISSION_BOT_ROLE": os.environ.get("SNOWFLAKE_SECURITYADMIN_ROLE", "SECURITYADMIN")}
    if os.environ.get("SNOWFLAKE_PASSWORD"):
        env["PERMISSION_BOT_PASSWORD"] = os.environ["SNOWFLAKE_PASSWORD"]
    else:
        env["PERMISSION_BOT_KEY_PATH"] = os.environ["SNOWFLAKE_PRIVATE_KEY_PATH"]
        env["PERMISSION_BOT_KEY_PASSPHRASE"] = os.environ.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "")
    result = subprocess.run([str(BIN_DIR / "permifrost"), "run", str(spec), "--dry"], env=env,
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
