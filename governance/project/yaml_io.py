"""Round-trip editing of dbt property YAML files (sources and models) for classification write-back.

Guarantees, for every writer in this package (scan, lineage):
- comments, key order, quoting and indentation of the rest of the file are kept (ruamel.yaml
  round-trip);
- files are written atomically (temp file in the same directory, fsync, rename);
- a file that is not valid YAML is reported with its path and line and left untouched;
- a column whose classification a human set is never overridden (see `is_manual`);
- writing the same values again changes nothing (idempotent), so an unchanged run writes no file.

Column classification lives under the column's ``config: meta:`` (dbt 1.10+)::

    columns:
      - name: email
        config:
          meta:
            classification: 3          # 1 Public .. 4 Restricted (vars.governance.levels)
            pii: [EMAIL_ADDRESS]       # entity names
            classified_by: scan        # scan | lineage | manual
"""

from __future__ import annotations

import difflib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from governance.errors import GovernanceError
from governance.project.meta import column_meta

MARKER_KEY = "classified_by"
MANUAL = "manual"
AUTOMATIC_MARKERS = ("scan", "lineage")
DESCRIPTION_PLACEHOLDER = "TODO: describe this column (added by governance)."


class YamlFileError(GovernanceError):
    """A dbt YAML file cannot be read or written; the message names the file (and line)."""


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # keep `[{type: not_null}]` as written
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class YamlFile:
    """One dbt property file loaded for editing."""

    path: Path
    original_text: str
    data: Any
    _yaml: YAML = field(default_factory=_yaml, repr=False)

    @classmethod
    def load(cls, path: Path, missing: str | None = None) -> YamlFile:
        """Load `path` for editing; a missing file starts from the text `missing` when given (and is
        written only when something is added to it)."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            if missing is None:
                raise YamlFileError(f"{path}: file not found") from exc
            document = cls.load_text(path, missing)
            document.original_text = ""
            return document
        except OSError as exc:
            raise YamlFileError(f"{path}: cannot read: {exc.strerror}") from exc
        return cls.load_text(path, text)

    @classmethod
    def load_text(cls, path: Path, text: str) -> YamlFile:
        from governance.project.dbt_project import parse_yaml_text

        yaml = _yaml()
        data = parse_yaml_text(path, text, yaml.load, YamlFileError, "; file left untouched")
        detect_indent(yaml, text)
        return cls(path, text, data if data is not None else CommentedMap(), yaml)

    def fragment(self, text: str) -> Any:
        """YAML text loaded round-trip with this file's settings, to insert into it (comments kept)."""
        return self._yaml.load(text)

    def render(self) -> str:
        buffer = io.StringIO()
        self._yaml.dump(self.data, buffer)
        return buffer.getvalue()

    @property
    def changed(self) -> bool:
        return self.render() != self.original_text

    def diff(self) -> str:
        return unified_diff(self.original_text, self.render(), self.path)

    def save(self) -> bool:
        """Write the file atomically if it changed. Returns whether it was written."""
        text = self.render()
        if text == self.original_text:
            return False
        write_atomic(self.path, text)
        self.original_text = text
        return True

    # --- finding nodes ------------------------------------------------------------------------

    def source_table(self, source_name: str, table_name: str) -> CommentedMap | None:
        for source in self.data.get("sources") or []:
            if source.get("name") == source_name:
                for table in source.get("tables") or []:
                    if table.get("name") == table_name:
                        return table
        return None

    def model(self, model_name: str) -> CommentedMap | None:
        for key in ("models", "snapshots", "seeds"):
            for node in self.data.get(key) or []:
                if node.get("name") == model_name:
                    return node
        return None


def detect_indent(yaml: YAML, text: str) -> None:
    """Match the file's own list indentation ("- name" under "columns:" at +2 or +4)."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        stripped = line.strip()
        if stripped.endswith(":") and not stripped.startswith("-") and not stripped.startswith("#"):
            nxt = lines[i + 1]
            if nxt.lstrip().startswith("- "):
                key_indent = len(line) - len(line.lstrip())
                dash_indent = len(nxt) - len(nxt.lstrip())
                offset = dash_indent - key_indent
                yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
                return


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see either the old or the new file, never half."""
    directory = path.parent
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def unified_diff(old: str, new: str, path: Path) -> str:
    return "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=f"a/{path}", tofile=f"b/{path}"))


# --- columns and their meta --------------------------------------------------------------------

def column_node(parent: CommentedMap, column_name: str, create: bool = False) -> CommentedMap | None:
    """The column entry named `column_name` (case-insensitive) under `parent`'s `columns:`.
    With `create`, a missing entry is appended with a description placeholder."""
    columns = parent.get("columns")
    for column in columns or []:
        if str(column.get("name", "")).lower() == column_name.lower():
            return column
    if not create:
        return None
    if columns is None:
        columns = CommentedSeq()
        parent["columns"] = columns
    column = CommentedMap([("name", column_name), ("description", DESCRIPTION_PLACEHOLDER)])
    columns.append(column)
    return column


def is_manual(meta: dict[str, Any]) -> bool:
    """A human set this classification: marked manual, or classified with no automatic marker."""
    marker = meta.get(MARKER_KEY)
    if marker == MANUAL:
        return True
    return "classification" in meta and marker not in AUTOMATIC_MARKERS


def set_classification(column: CommentedMap, values: dict[str, Any], marker: str) -> bool:
    """Write `values` (classification, pii, and any details) into the column's config.meta with
    `marker`, unless a human classified the column. Keys this writer owns but no longer reports
    are removed. Returns whether anything changed."""
    assert marker in AUTOMATIC_MARKERS, marker
    if is_manual(column_meta(column)):
        return False
    config = column.get("config")
    if config is None:
        config = CommentedMap()
        column["config"] = config
    meta = config.get("meta")
    if meta is None:
        meta = CommentedMap()
        config["meta"] = meta
    desired = {**values, MARKER_KEY: marker}
    changed = False
    for key, value in desired.items():
        if _plain(meta.get(key)) != _plain(value):
            meta[key] = _yaml_value(value)
            changed = True
    return changed


def clear_classification(column: CommentedMap, marker: str, owned_keys: tuple[str, ...]) -> bool:
    """Remove a classification this writer set earlier (never a human's). Returns whether changed."""
    meta = (column.get("config") or {}).get("meta")
    if not meta or meta.get(MARKER_KEY) != marker:
        return False
    for key in (*owned_keys, MARKER_KEY):
        meta.pop(key, None)
    if not meta:
        column["config"].pop("meta")
        if not column["config"]:
            column.pop("config")
    return True


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _yaml_value(value: Any) -> Any:
    """Lists of scalars are written in flow style ([A, B]) to keep column entries compact."""
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(value)
        if all(not isinstance(v, (dict, list, tuple)) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value
