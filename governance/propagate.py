"""Classification propagation along column lineage, its YAML write-back, and the check.

A model (or snapshot) column gets the highest classification and the union of the PII entities of
the columns it is derived from (see :mod:`governance.lineage`). A transformation kind listed in the
policy's ``lineage_rules`` caps the level of what flows through it (and may drop the entities);
every other transformation keeps both. Columns are visited in topological order, so a model reads
the classifications already derived for its upstream models.

Where classifications come from:
- sources and seeds: their YAML ``config: meta:`` (written by the scan, or by hand): ``classification``,
  or else the highest entity level of ``pii``;
- model and snapshot columns: lineage, unless a human classified the column (manual wins; it is
  reported when lower than lineage says, and downstream columns inherit the manual value).

Usage (the API the CLI and the tests use)::

    result = propagate(project_dir, manifest_path)   # compute, read the YAML, nothing written
    report = write_back(result, dry_run=False)       # write classified_by: lineage entries
    findings = check(result)                         # what `governance check` fails on
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from governance.dbt_yaml import (
    DESCRIPTION_PLACEHOLDER,
    MARKER_KEY,
    YamlFile,
    YamlFileError,
    clear_classification,
    column_node,
    is_manual,
    set_classification,
    unified_diff,
    write_atomic,
)
from governance.errors import PolicyError, ProjectError
from governance.lineage import (
    LOWERING_KINDS,
    ROOT_NODE_TYPES,
    ColumnEdge,
    ColumnKey,
    LineageGraph,
    Node,
    Relation,
    build_lineage,
    load_manifest,
)
from governance.policy import POLICY_KEY, Policy, load_policy

MARKER = "lineage"
OWNED_KEYS = ("classification", "pii")
RULES_KEY = f"{POLICY_KEY}.lineage_rules"


# --------------------------------------------------------------------------------------------------
# rules (vars.governance.lineage_rules)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    kind: str
    level: int
    drop_pii: bool
    entities: frozenset[str] | None
    description: str

    def applies(self, upstream: Classification) -> bool:
        if self.entities is None:
            return True
        return bool(upstream.pii) and set(upstream.pii) <= self.entities


def parse_rules(policy: Policy) -> dict[str, Rule]:
    """The lowering rules of the policy, validated (errors name dbt_project.yml and the key)."""
    raw = policy.raw.get("lineage_rules")
    path = policy.source
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PolicyError(f"{path}: {RULES_KEY}: must be a mapping of transformation kind to rule")
    rules: dict[str, Rule] = {}
    for kind, spec in raw.items():
        key = f"{RULES_KEY}.{kind}"
        if kind not in LOWERING_KINDS:
            raise PolicyError(
                f"{path}: {key}: unknown transformation kind (known: {', '.join(LOWERING_KINDS)})"
            )
        if not isinstance(spec, dict):
            raise PolicyError(f"{path}: {key}: must be a mapping with `level` (and optional pii, entities)")
        level = spec.get("level")
        if isinstance(level, bool) or level not in policy.levels:
            raise PolicyError(
                f"{path}: {key}.level: unknown level {level!r} (known levels: {sorted(policy.levels)})"
            )
        pii = spec.get("pii", "drop")
        if pii not in ("keep", "drop"):
            raise PolicyError(f"{path}: {key}.pii: must be keep or drop; got {pii!r}")
        entities = spec.get("entities")
        if entities is not None:
            if not isinstance(entities, list) or not entities:
                raise PolicyError(f"{path}: {key}.entities: must be a non-empty list of entity names")
            unknown = [e for e in entities if e not in policy.entity_levels]
            if unknown:
                raise PolicyError(
                    f"{path}: {key}.entities: not in entity_levels: {', '.join(map(str, unknown))}"
                )
        rules[kind] = Rule(
            kind,
            int(level),
            pii == "drop",
            frozenset(entities) if entities else None,
            " ".join(str(spec.get("description", "")).split()),
        )
    return rules


# --------------------------------------------------------------------------------------------------
# classifications
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Classification:
    level: int
    pii: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.level}" + (f" [{', '.join(self.pii)}]" if self.pii else "")


@dataclass(frozen=True)
class Contribution:
    """What one upstream edge brings to a column."""

    edge: ColumnEdge
    upstream: Classification | None
    result: Classification | None
    rules: tuple[Rule, ...]  # rules on the path that lowered the level or dropped entities


@dataclass
class ColumnState:
    """One column of a model/snapshot (derived) or of a source/seed (root)."""

    key: ColumnKey
    meta: dict[str, Any]  # its YAML config.meta (empty when not documented)
    lineage: Classification | None = None  # what lineage says (derived columns only)
    contributions: list[Contribution] = field(default_factory=list)
    declared: Classification | None = None  # what the YAML says
    meta_error: str | None = None
    derived: bool = True  # False for sources and seeds, and for models whose SQL was not analysed

    @property
    def manual(self) -> bool:
        return is_manual(self.meta)

    @property
    def marker(self) -> str | None:
        return self.meta.get(MARKER_KEY)

    @property
    def effective(self) -> Classification | None:
        """What downstream columns inherit: the manual classification if a human set one, else lineage
        (roots: their declared classification)."""
        if not self.derived or self.manual:
            return self.declared
        return self.lineage

    @property
    def upstream_level(self) -> int | None:
        """The highest level of the data this column is derived from, before any lowering rule."""
        levels = [c.upstream.level for c in self.contributions if c.upstream is not None]
        return max(levels) if levels else None


@dataclass
class PropagationResult:
    project_dir: Path
    policy: Policy
    rules: dict[str, Rule]
    graph: LineageGraph
    columns: dict[ColumnKey, ColumnState]
    documents: dict[str, Any]  # the YAML property files read (plain data)
    skipped_nodes: set[str]  # models whose SQL could not be analysed: their YAML is left as is

    def column(self, key: ColumnKey) -> ColumnState:
        return self.columns[key]

    def derived_columns(self) -> list[ColumnState]:
        return [
            state
            for (uid, _), state in self.columns.items()
            if self.graph.nodes[uid].resource_type not in ROOT_NODE_TYPES
        ]


def _declared(meta: dict[str, Any], policy: Policy, where: str) -> tuple[Classification | None, str | None]:
    """The classification a column's meta declares (classification, else the level of its pii)."""
    pii_raw = meta.get("pii") or []
    if not isinstance(pii_raw, (list, tuple)):
        pii_raw = [pii_raw]
    pii = tuple(sorted({str(p) for p in pii_raw}))
    level = meta.get("classification")
    if level is not None:
        if isinstance(level, bool) or level not in policy.levels:
            return (
                None,
                f"{where}: classification {level!r} is not a level of the policy ({sorted(policy.levels)})",
            )
        return Classification(int(level), pii), None
    if pii:
        derived = policy.level_for_entities(pii)
        if derived is None:
            return None, f"{where}: pii {list(pii)} has no entity known to entity_levels"
        return Classification(derived, pii), None
    return None, None


def _apply(
    rules: dict[str, Rule], upstream: Classification, edge: ColumnEdge
) -> tuple[Classification, tuple[Rule, ...]]:
    level, pii = upstream.level, upstream.pii
    applied: list[Rule] = []
    for step in edge.steps:
        rule = rules.get(step.kind)
        if rule is None or not rule.applies(Classification(level, pii)):
            continue
        if rule.level < level or (rule.drop_pii and pii):
            applied.append(rule)
        level = min(level, rule.level)
        if rule.drop_pii:
            pii = ()
    return Classification(level, pii), tuple(dict.fromkeys(applied))


def _combine(results: list[Classification]) -> Classification | None:
    if not results:
        return None
    entities = sorted({e for r in results for e in r.pii})
    return Classification(max(r.level for r in results), tuple(entities))


@dataclass
class _PlainFile:
    path: Path
    data: Any


def _load_plain(path: Path) -> _PlainFile:
    """Read-only load with libyaml (C) when available: reading meta must stay fast on large projects;
    only files that change are loaded round-trip (ruamel) by the write-back."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise YamlFileError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        return _PlainFile(path, yaml.load(text, Loader=loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise YamlFileError(
            f"{path}:{where}: not valid YAML ({exc.problem or exc.context}); file left untouched"
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlFileError(f"{path}: not valid YAML ({exc}); file left untouched") from exc


class _YamlCache:
    """YAML property files by path relative to the project: plain (fast, read-only) or round-trip."""

    def __init__(self, project_dir: Path, round_trip: bool):
        self.project_dir = project_dir
        self.round_trip = round_trip
        self.files: dict[str, Any] = {}

    def get(self, relative: str | None) -> Any:
        if not relative:
            return None
        if relative not in self.files:
            path = self.project_dir / relative
            if not path.is_file():
                return None
            self.files[relative] = YamlFile.load(path) if self.round_trip else _load_plain(path)
        return self.files[relative]


def _entry_in(data: Any, node: Node) -> Any:
    if not isinstance(data, dict):
        return None
    if node.resource_type == "source":
        for source in data.get("sources") or []:
            if isinstance(source, dict) and source.get("name") == node.source_name:
                for table in source.get("tables") or []:
                    if isinstance(table, dict) and table.get("name") == node.name:
                        return table
        return None
    for key in ("models", "snapshots", "seeds"):
        for entry in data.get(key) or []:
            if isinstance(entry, dict) and entry.get("name") == node.name:
                return entry
    return None


def node_entry(cache: _YamlCache, node: Node) -> Any:
    """The node's entry in its YAML property file, if it has one. A model the manifest knows no
    property file for (not documented when it was compiled) is looked up in the YAML files of its
    own directory, where the write-back adds new entries."""
    document = cache.get(node.yaml_path)
    if document is not None:
        return _entry_in(document.data, node)
    if node.resource_type == "source" or not node.file_path:
        return None
    directory = cache.project_dir / Path(node.file_path).parent
    for candidate in sorted(directory.glob("*.yml")):
        relative = str(candidate.relative_to(cache.project_dir))
        document = cache.get(relative)
        entry = _entry_in(document.data, node) if document is not None else None
        if entry is not None:
            node.yaml_path = relative
            return entry
    return None


def _plain_meta(column: dict[str, Any]) -> dict[str, Any]:
    """The column's meta (config.meta, falling back to the deprecated top-level meta)."""
    meta = (column.get("config") or {}).get("meta") if isinstance(column.get("config"), dict) else None
    if meta is None:
        meta = column.get("meta")
    return dict(meta) if isinstance(meta, dict) else {}


def propagate(
    project_dir: Path,
    manifest: Path | dict[str, Any] | LineageGraph,
    extra_columns: dict[Relation, list[str]] | None = None,
    progress: Callable[[Node], None] | None = None,
) -> PropagationResult:
    """Compute lineage classifications for every model and snapshot column. Writes nothing."""
    project_dir = project_dir.resolve()
    policy = load_policy(project_dir)
    rules = parse_rules(policy)
    if isinstance(manifest, LineageGraph):
        graph = manifest
    else:
        graph = build_lineage(
            load_manifest(manifest) if isinstance(manifest, Path) else manifest, extra_columns, progress
        )
    cache = _YamlCache(project_dir, round_trip=False)
    failed = {p.unique_id for p in graph.problems if p.severity == "error"}
    columns: dict[ColumnKey, ColumnState] = {}
    for uid in graph.order:
        node = graph.nodes[uid]
        entry = node_entry(cache, node)
        metas: dict[str, dict[str, Any]] = {}
        for column in (entry.get("columns") or []) if entry is not None else []:
            if isinstance(column, dict):
                metas[str(column.get("name", "")).lower()] = _plain_meta(column)
        names = list(dict.fromkeys([*node.columns, *metas]))
        for name in names:
            meta = metas.get(name, {})
            where = f"{node.yaml_path}: {node.display}.{name}"
            declared, error = _declared(meta, policy, where)
            derived = node.resource_type not in ROOT_NODE_TYPES and uid not in failed
            state = ColumnState((uid, name), meta, declared=declared, meta_error=error, derived=derived)
            columns[(uid, name)] = state
            if not derived:
                continue
            for edge in graph.upstream((uid, name)):
                upstream_state = columns.get(edge.source)
                upstream = upstream_state.effective if upstream_state else None
                if upstream is None:
                    state.contributions.append(Contribution(edge, None, None, ()))
                    continue
                result, applied = _apply(rules, upstream, edge)
                state.contributions.append(Contribution(edge, upstream, result, applied))
            state.lineage = _combine([c.result for c in state.contributions if c.result is not None])
    return PropagationResult(project_dir, policy, rules, graph, columns, cache.files, failed)


# --------------------------------------------------------------------------------------------------
# write-back
# --------------------------------------------------------------------------------------------------


@dataclass
class Change:
    node: str  # display name
    column: str
    action: str  # set | clear
    before: Classification | None
    after: Classification | None


@dataclass
class WriteReport:
    changes: list[Change] = field(default_factory=list)
    diffs: dict[Path, str] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why a column could not be written
    manual_lower: list[ColumnState] = field(default_factory=list)


def _models_file_for(result: PropagationResult, node: Node, cache: _YamlCache) -> str:
    """The property file a node without a YAML entry gets: the `_*.yml` in its directory that lists
    nodes of its type (models/snapshots), else a new `_<directory>__models.yml` there."""
    key = "snapshots" if node.resource_type == "snapshot" else "models"
    directory = Path(node.file_path or "").parent
    for candidate in sorted((result.project_dir / directory).glob("_*.yml")):
        relative = str(candidate.relative_to(result.project_dir))
        document = cache.get(relative)
        if document is not None and isinstance(document.data, dict) and key in document.data:
            return relative
    name = f"_{directory.name or 'models'}__{key}.yml"
    return str(directory / name)


def write_back(result: PropagationResult, dry_run: bool = False) -> WriteReport:
    """Write `classification`, `pii` and `classified_by: lineage` into each model/snapshot column's
    YAML meta, remove lineage entries whose upstream lost its classification, never touch a manual
    classification. Atomic per file, idempotent; with `dry_run` only the diffs are returned."""
    cache = _YamlCache(result.project_dir, round_trip=True)
    report = WriteReport()
    graph = result.graph
    by_node: dict[str, list[ColumnState]] = {}
    for (uid, _), state in result.columns.items():
        by_node.setdefault(uid, []).append(state)
    touched: set[str] = set()
    for uid in graph.order:
        node = graph.nodes[uid]
        if node.resource_type in ROOT_NODE_TYPES or uid in result.skipped_nodes:
            if uid in result.skipped_nodes:
                report.skipped.append(f"{node.display}: SQL not analysed; its YAML is left as is")
            continue
        states = by_node.get(uid, [])
        for state in states:
            if (
                state.manual
                and state.lineage
                and state.declared
                and state.declared.level < state.lineage.level
            ):
                report.manual_lower.append(state)
        pending = [state for state in states if _needs_write(state)]
        if not pending:
            continue  # nothing to change: the file is not even loaded round-trip
        changes_before = len(report.changes)
        entry = node_entry(cache, node)
        for state in pending:
            if entry is None:
                if state.lineage is None:
                    continue
                entry = _create_entry(result, node, cache)
            column = column_node(entry, state.key[1], create=False)
            if column is None:
                if state.lineage is None:
                    continue
                if (node.config.get("contract") or {}).get("enforced"):
                    report.skipped.append(
                        f"{node.display}.{state.key[1]}: not in the YAML of a model with an "
                        "enforced contract (add it with its data_type)"
                    )
                    continue
                column = column_node(entry, state.key[1], create=True)
            assert column is not None
            if state.lineage is None:
                if clear_classification(column, MARKER, OWNED_KEYS):
                    report.changes.append(Change(node.display, state.key[1], "clear", state.declared, None))
            else:
                values = {"classification": state.lineage.level, "pii": list(state.lineage.pii)}
                if set_classification(column, values, MARKER):
                    report.changes.append(
                        Change(node.display, state.key[1], "set", state.declared, state.lineage)
                    )
        if node.yaml_path and len(report.changes) > changes_before:
            touched.add(node.yaml_path)
    for relative in sorted(touched):
        document = cache.files[relative]
        text = document.render()  # once: comparing, diffing and writing a large file all need it
        if text == document.original_text:
            continue
        report.diffs[document.path] = unified_diff(document.original_text, text, document.path)
        if not dry_run:
            write_atomic(document.path, text)
            document.original_text = text
            report.written.append(document.path)
    return report


def _needs_write(state: ColumnState) -> bool:
    """Whether the write-back would change this column's YAML (decided on the plain meta)."""
    if state.manual:
        return False
    meta = state.meta
    if state.lineage is None:
        return state.marker == MARKER
    return not (
        meta.get("classification") == state.lineage.level
        and isinstance(meta.get("pii"), list)
        and list(meta["pii"]) == list(state.lineage.pii)
        and meta.get(MARKER_KEY) == MARKER
    )


def _create_entry(result: PropagationResult, node: Node, cache: _YamlCache) -> CommentedMap:
    relative = _models_file_for(result, node, cache)
    key = "snapshots" if node.resource_type == "snapshot" else "models"
    document = cache.get(relative)
    if document is None:
        path = result.project_dir / relative
        document = YamlFile(path, "", CommentedMap([("version", 2), (key, CommentedSeq())]))
        cache.files[relative] = document
    if document.data.get(key) is None:
        document.data[key] = CommentedSeq()
    entry = CommentedMap(
        [("name", node.name), ("description", DESCRIPTION_PLACEHOLDER), ("columns", CommentedSeq())]
    )
    document.data[key].append(entry)
    node.yaml_path = relative
    return entry


# --------------------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    severity: str  # error (fails the check) | warning
    code: str
    node: str
    column: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "node": self.node,
            "column": self.column,
            "message": self.message,
        }


def check(result: PropagationResult) -> list[Finding]:
    """Everything `governance check` reports. Errors (exit 1):
    - a model/snapshot column derived from data at a masked level (3-4) with no classification, or a
      lower one than lineage says, that no human set (`unclassified`, `too_low`);
    - a source/seed column with PII entities (found by the scan) but no classification
      (`source_unclassified`); meta that is not valid (`invalid_meta`);
    - a model whose SQL could not be analysed (`lineage_error`).
    Warnings: a manual classification lower than lineage (`manual_lower`), lineage entries that a
    new `governance propagate` would change (`stale`), columns lineage could not resolve."""
    findings: list[Finding] = []
    graph = result.graph
    masked = (
        min(result.policy.masked_levels) if result.policy.masked_levels else max(result.policy.levels) + 1
    )
    for problem in graph.problems:
        node = graph.nodes[problem.unique_id]
        findings.append(
            Finding(
                "error" if problem.severity == "error" else "warning",
                "lineage_error" if problem.severity == "error" else "lineage_warning",
                node.display,
                None,
                problem.message,
            )
        )
    for (uid, name), state in result.columns.items():
        node = graph.nodes[uid]
        if state.meta_error:
            findings.append(Finding("error", "invalid_meta", node.display, name, state.meta_error))
            continue
        if node.resource_type in ROOT_NODE_TYPES:
            if state.meta.get("pii") and state.meta.get("classification") is None:
                findings.append(
                    Finding(
                        "error",
                        "source_unclassified",
                        node.display,
                        name,
                        f"PII {list(state.meta['pii'])} found (classified_by: {state.marker or 'unknown'}) "
                        f"but no classification in {node.yaml_path}",
                    )
                )
            continue
        if uid in result.skipped_nodes:
            continue
        lineage, declared = state.lineage, state.declared
        if state.manual:
            if lineage and declared and declared.level < lineage.level:
                findings.append(
                    Finding(
                        "warning",
                        "manual_lower",
                        node.display,
                        name,
                        f"manual classification {declared.level} is lower than lineage says ({lineage})",
                    )
                )
            continue
        if lineage is None:
            if state.marker == MARKER:
                findings.append(
                    Finding(
                        "warning",
                        "stale",
                        node.display,
                        name,
                        "lineage classification no longer derived from any classified column; "
                        "run `governance propagate`",
                    )
                )
            continue
        upstream = state.upstream_level or 0
        if declared is None or declared.level < lineage.level:
            severe = upstream >= masked or lineage.level >= masked
            what = "no classification" if declared is None else f"classification {declared.level}"
            findings.append(
                Finding(
                    "error" if severe else "warning",
                    "unclassified" if declared is None else "too_low",
                    node.display,
                    name,
                    f"{what} in {node.yaml_path or 'its YAML'}, but lineage says {lineage} (derived from "
                    f"level {upstream} data); run `governance propagate` or classify it by hand "
                    "(classified_by: manual)",
                )
            )
        elif declared != lineage:
            findings.append(
                Finding(
                    "warning",
                    "stale",
                    node.display,
                    name,
                    f"classification {declared} differs from lineage {lineage}; run `governance propagate`",
                )
            )
    return findings


def ensure_project(project_dir: Path) -> Path:
    if not (project_dir / "dbt_project.yml").is_file():
        raise ProjectError(f"{project_dir}: no dbt_project.yml here")
    return project_dir
