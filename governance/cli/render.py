"""One renderer of findings for every command: text with `file:line`, JSON, or GitHub annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from governance.findings import Finding, apply_acknowledgements, load_acknowledgements


def render_findings(findings: list[Finding], output_format: str, project_dir: Path | None, summary: str,
                    extra: dict[str, Any] | None = None) -> int:
    """Print findings (acknowledged warnings counted, not repeated) and the summary line.
    Returns the number of errors."""
    acknowledged: list[Finding] = []
    unused = []
    if project_dir is not None:
        findings, acknowledged, unused = apply_acknowledgements(findings, load_acknowledgements(project_dir))
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]
    ordered = sorted(findings, key=lambda f: (f.severity != "error", f.node, f.column or "", f.code))
    if output_format == "json":
        click.echo(json.dumps({
            "ok": not errors, **(extra or {}),
            "findings": [f.to_dict() for f in ordered],
            "acknowledged": [f.to_dict() for f in acknowledged],
            "unused_acknowledgements": [{"code": a.code, "subject": a.subject} for a in unused],
        }, indent=2))
        return len(errors)
    for finding in ordered:
        if output_format == "github":
            where = f" file={finding.file}" + (f",line={finding.line}" if finding.line else "") if finding.file else ""
            level = "error" if finding.severity == "error" else "warning"
            click.echo(f"::{level}{where}::{finding.code} {finding.subject}: {finding.message}")
        else:
            where = f"{finding.location}: " if finding.location else ""
            click.echo(f"{where}{finding.severity.upper():<7} {finding.code:<19} {finding.subject}: {finding.message}")
    for ack in unused:
        click.echo(f"note: acknowledgement of {ack.code} {ack.subject} matches no finding; remove it")
    tail = f", {len(acknowledged)} acknowledged" if acknowledged else ""
    click.echo(f"{summary}, {len(errors)} errors, {len(warnings)} warnings{tail}")
    return len(errors)
