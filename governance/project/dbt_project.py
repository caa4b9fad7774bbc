"""The dbt project as the governance package sees it: where it is, its `dbt_project.yml`, its profile
target, its manifest and its property YAML. The kernel's one entry point.

No other module of `governance` reads `dbt_project.yml`, a profile, a manifest or property YAML; they
ask a `DbtProject` (built once per command from the shared `--project-dir`, `--profiles-dir`,
`--target` and `--vars` options, which mean here what they mean to dbt).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from governance.errors import ProjectError

if TYPE_CHECKING:
    from governance.project.manifest import ManifestProvider
    from governance.project.profiles import Target
    from governance.project.properties import PropertyIndex
    from governance.project.yaml_io import YamlFile

PROJECT_FILE = "dbt_project.yml"
# Folders that never hold dbt inputs: skipped when fingerprinting the project for the manifest cache.
NOT_PROJECT_INPUTS = frozenset({
    ".git", ".venv", "target", "logs", "warehouse", ".governance", "__pycache__", "node_modules",
    ".pytest_cache", ".ruff_cache", "test-artifacts",
})
PATH_KEYS = {
    "model-paths": ["models"], "seed-paths": ["seeds"], "snapshot-paths": ["snapshots"],
    "macro-paths": ["macros"], "test-paths": ["tests"], "analysis-paths": ["analyses"], "docs-paths": [],
}


def find_project_dir(start: Path | None = None) -> Path:
    """The nearest directory at or above `start` (default: the current one) that holds dbt_project.yml."""
    here = (start or Path.cwd()).resolve()
    if start is not None and not here.exists():
        raise ProjectError(f"{here}: --project-dir does not exist")
    for candidate in (here, *here.parents):
        if (candidate / PROJECT_FILE).is_file():
            return candidate
    raise ProjectError(f"no {PROJECT_FILE} found in {here} or any parent directory")


def load_yaml_document(path: Path) -> Any:
    """A YAML file loaded round-trip (so keys keep their line numbers); errors name file and line."""
    return parse_yaml(path, lambda text: YAML().load(text))


def read_yaml(path: Path) -> Any:
    """A YAML file read fast (libyaml, plain data, no line numbers); errors name file and line."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return parse_yaml(path, lambda text: yaml.load(text, Loader=loader))


def parse_yaml(path: Path, parse: Callable[[str], Any], error: type[Exception] = ProjectError,
               suffix: str = "") -> Any:
    """Read `path` and `parse` its text (ruamel or libyaml). A failure raises `error` naming the file
    and, for invalid YAML, the line and column (`suffix` is appended to the message)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"{path}: file not found") from exc
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_yaml_text(path, text, parse, error, suffix)


def parse_yaml_text(path: Path, text: str, parse: Callable[[str], Any], error: type[Exception] = ProjectError,
                    suffix: str = "") -> Any:
    """`parse` the YAML `text` of `path`; invalid YAML raises `error` naming the file, line and column."""
    import yaml

    try:
        return parse(text)
    except (MarkedYAMLError, yaml.MarkedYAMLError) as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        raise error(f"{path}:{where} not valid YAML ({exc.problem or exc.context}){suffix}") from exc
    except (YAMLError, yaml.YAMLError) as exc:
        raise error(f"{path}: not valid YAML ({exc}){suffix}") from exc


def line_of(document: Any, *keys: Any) -> int | None:
    """The 1-based line of `document[keys[0]][keys[1]]...` in its file, or of the deepest key found."""
    node, line = document, None
    for key in keys:
        lc = getattr(node, "lc", None)
        if lc is None or not isinstance(node, (dict, list)):
            break
        try:
            line = (lc.key(key) if isinstance(node, dict) else lc.item(key))[0] + 1
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return line


@dataclass
class DbtProject:
    """A dbt project directory with the dbt options a command was given."""

    root: Path
    profiles_dir: Path | None = None
    target_name: str | None = None
    cli_vars: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def locate(cls, project_dir: Path | None = None, *, profiles_dir: Path | None = None,
               target: str | None = None, cli_vars: dict[str, Any] | None = None) -> DbtProject:
        return cls(find_project_dir(project_dir), profiles_dir.resolve() if profiles_dir else None, target,
                   dict(cli_vars or {}))

    @property
    def project_file(self) -> Path:
        return self.root / PROJECT_FILE

    @cached_property
    def config(self) -> Any:
        """dbt_project.yml as written (plain data, read fast; `where` finds a key's line)."""
        document = read_yaml(self.project_file)
        if not isinstance(document, dict):
            raise ProjectError(f"{self.project_file}: must be a mapping")
        return document

    @cached_property
    def _config_with_lines(self) -> Any:
        return load_yaml_document(self.project_file)

    @property
    def name(self) -> str:
        return str(self.config.get("name", ""))

    @property
    def profile_name(self) -> str:
        profile = self.config.get("profile")
        if not profile:
            raise ProjectError(f"{self.project_file}: profile: missing")
        return str(profile)

    def where(self, *keys: Any) -> str:
        """`dbt_project.yml:LINE` for a key path (the line of the deepest key that exists)."""
        line = line_of(self._config_with_lines, *keys)
        return f"{self.project_file}:{line}" if line else str(self.project_file)

    def paths(self, key: str) -> list[Path]:
        """The folders dbt reads for a `*-paths` key. A value dbt renders with Jinja (such as a
        conditional macro path) counts as every folder it names that exists."""
        value = self.config.get(key, PATH_KEYS.get(key, []))
        if isinstance(value, str) and "{{" in value:
            names = [part for part in _quoted_words(value) if (self.root / part).is_dir()]
        else:
            names = [value] if isinstance(value, str) else [str(v) for v in value or []]
        return [self.root / name for name in names]

    @property
    def target_path(self) -> Path:
        """dbt's target path (DBT_TARGET_PATH or `target-path` or target/), absolute."""
        value = os.environ.get("DBT_TARGET_PATH") or self.config.get("target-path") or "target"
        path = Path(value)
        return path if path.is_absolute() else self.root / path

    @property
    def built_manifest(self) -> Path:
        """The manifest the last dbt command wrote in the target path (what was built)."""
        return self.target_path / "manifest.json"

    @property
    def state_dir(self) -> Path:
        """The package's own gitignored working folder (manifest cache, scan state)."""
        return self.root / ".governance"

    # --- what the kernel builds on demand ---------------------------------------------------------

    @cached_property
    def manifests(self) -> ManifestProvider:
        from governance.project.manifest import ManifestProvider

        return ManifestProvider(self)

    @cached_property
    def properties(self) -> PropertyIndex:
        from governance.project.properties import PropertyIndex

        return PropertyIndex(self)

    def edit(self, name: str = PROJECT_FILE, missing: str | None = None) -> YamlFile:
        """A YAML file at the project root (dbt_project.yml, packages.yml) loaded for round-trip editing
        (comments and layout kept; `save()` writes atomically, only when it changed). A missing file
        starts from the text `missing` when given. The cached `config` is dropped: read it afresh."""
        from governance.project.yaml_io import YamlFile

        self.__dict__.pop("config", None)
        return YamlFile.load(self.root / name, missing)

    def target(self) -> Target:
        """The rendered profile target (dbt's own profile rendering)."""
        from governance.project.profiles import load_target

        return load_target(self)


def _quoted_words(text: str) -> list[str]:
    import re

    return re.findall(r"['\"]([\w./-]+)['\"]", text)
