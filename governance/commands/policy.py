"""`governance policy`: validate the policy and show what it says."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from governance.policy import load_policy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "policy",
        help="validate the governance policy and print its levels, roles and clearances",
        description=(
            "Validate vars.governance in dbt_project.yml and print the levels, the entity levels and each "
            "role's effective clearance. Exits 2 with the file and key at fault when the policy is invalid."),
    )
    parser.add_argument("--project-dir", type=Path, default=None, help="dbt project directory (default: search up)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_policy(args.project_dir)
    clearances = {name: policy.effective_clearance(name) for name in policy.roles}
    if args.format == "json":
        print(json.dumps({
            "source": str(policy.source),
            "levels": {n: {"name": lv.name, "masked": lv.masked} for n, lv in policy.levels.items()},
            "entity_levels": policy.entity_levels,
            "roles": {name: {"kind": r.kind, "effective_clearance": clearances[name],
                             "member_of": list(r.member_of)} for name, r in policy.roles.items()},
            "default_role": policy.default_role,
        }, indent=2, sort_keys=True))
        return 0
    print(f"policy: {policy.source} (vars.governance) is valid")
    for number, level in policy.levels.items():
        print(f"  level {number} {level.name:<13} {'masked' if level.masked else 'clear'}")
    for name, role in policy.roles.items():
        print(f"  role {name:<17} {role.kind:<10} sees up to level {clearances[name]}")
    return 0
