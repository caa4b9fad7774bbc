"""The dbt manifest: one provider, with a cache keyed on everything that changes a compile.

`ManifestProvider.get(kind)` returns the manifest of a `dbt parse` (kind "parse": nodes, columns,
meta, no SQL) or a `dbt compile` (kind "compile": also every model's compiled SQL). A compiled
manifest serves a parse request too. The result is cached under `.governance/manifests/<key>/`,
where the key is a hash of:

- every file dbt reads in the project folder (path, size and modification time; installed packages
  under dbt_packages/ included), and the profile file;
- the dbt target (`--target`), the `--vars`, and the dbt version;
- the values of the environment variables the project's and the profile's Jinja reads
  (`env_var('NAME')`), hashed, never stored.

So a second `governance lineage` or `governance check` on an unchanged project reads the cached
manifest in milliseconds instead of compiling for ten seconds; any edit, another target or other
vars compile afresh. `--manifest PATH` (every command) reads that file instead and runs no dbt.

A compile renders one branch of every incremental model and snapshot, named by the var
`governance_lineage_branch` that the project's `is_incremental()` (the governance package's) reads, with
no warehouse lookup: the default compile renders the full refresh (so it is the same on every target and
whatever the warehouse holds), `branch="incremental"` the incremental SQL, cached beside it under the same
key, so lineage checks both branches of what runs. A project whose is_incremental() is dbt's own ignores
the var (its default compile runs against an empty DuckDB file, or its warehouse).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from governance.errors import ProjectError
from governance.project.dbt_project import NOT_PROJECT_INPUTS, PATH_KEYS

if TYPE_CHECKING:
    from governance.project.dbt_project import DbtProject
    from governance.project.profiles import Target

KINDS = ("parse", "compile")
BRANCHES = ("incremental",)  # compiles of another branch than the default full refresh (see above)
BRANCH_VAR = "governance_lineage_branch"
PARTIAL_PARSE = "partial_parse.msgpack"  # dbt's parse state in a target path
KEEP_CACHED = 6  # cached compiles kept per project, the newest (a compile and its incremental branch are two)
ENV_VAR_CALL = re.compile(r"""env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]""")
ROOT_FILES = ("dbt_project.yml", "packages.yml", "dependencies.yml", "selectors.yml", "package-lock.yml")
INPUT_SUFFIXES = frozenset({".sql", ".yml", ".yaml", ".csv", ".md", ".jinja", ".json"})


def load_manifest(path: Path) -> dict[str, Any]:
    """Read a manifest.json; errors name the file."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise ProjectError(f"{path}: manifest not found; run `dbt parse` (or any dbt command) first") from exc
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read the dbt manifest ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{path}: not a valid dbt manifest ({exc})") from exc
    if not isinstance(data, dict) or "nodes" not in data:
        raise ProjectError(f"{path}: not a dbt manifest (no `nodes`)")
    return data


class ArtifactError(ProjectError):
    """A dbt artifact (manifest.json, run_results.json, ...) cannot be read; `reason` is one word
    (missing, unreadable, corrupt) and the message names the file, never its content."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def read_artifact(path: Path) -> dict[str, Any]:
    """Any dbt JSON artifact, checked to be one (it has `metadata`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ArtifactError("missing", f"{path}: missing") from exc
    except OSError as exc:
        raise ArtifactError("unreadable", f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:  # the message names the position, never the content
        raise ArtifactError("corrupt", f"{path}: corrupt, not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or "metadata" not in data:
        raise ArtifactError("corrupt", f"{path}: corrupt, not a dbt artifact (no metadata)")
    return data


class DocsSite:
    """The files `dbt docs generate` writes in a folder: manifest.json, catalog.json, index.html (which reads
    them) and, with --static, static_index.html (index.html with both inlined)."""

    INLINE = ('"MANIFEST.JSON INLINE DATA"', '"CATALOG.JSON INLINE DATA"')

    def __init__(self, folder: Path):
        self.folder = folder
        self.manifest_path = folder / "manifest.json"
        self.catalog_path = folder / "catalog.json"
        self.index_path = folder / "index.html"

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def read(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(manifest, catalog); the catalog is empty when there is none."""
        catalog = read_artifact(self.catalog_path) if self.catalog_path.is_file() else {}
        return load_manifest(self.manifest_path), catalog

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the site's manifest (atomically) and rebuild static_index.html from index.html with it, as
        `dbt docs generate --static` does."""
        from governance.project.yaml_io import write_atomic

        text = json.dumps(manifest)
        write_atomic(self.manifest_path, text)
        if self.index_path.is_file():
            catalog = self.catalog_path.read_text(encoding="utf-8") if self.catalog_path.is_file() else "{}"
            html = self.index_path.read_text(encoding="utf-8")
            html = html.replace(self.INLINE[0], text).replace(self.INLINE[1], catalog)
            write_atomic(self.folder / "static_index.html", html)


def project_nodes(manifest: dict[str, Any], resource_types: tuple[str, ...]) -> list[dict[str, Any]]:
    """The project's own nodes (and sources) of the given resource types, sorted by unique_id."""
    project = manifest.get("metadata", {}).get("project_name")
    pool = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    return sorted(
        (node for node in pool.values()
         if node.get("resource_type") in resource_types and (project is None or node.get("package_name") == project)),
        key=lambda node: node["unique_id"],
    )


def columns_from_catalog(path: Path) -> dict[tuple[str, str, str], list[str]]:
    """Columns of every relation in a dbt `catalog.json` (from `dbt docs generate`)."""
    try:
        catalog = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProjectError(f"{path}: cannot read the catalog: {exc}") from exc
    out: dict[tuple[str, str, str], list[str]] = {}
    for section in ("nodes", "sources"):
        for entry in (catalog.get(section) or {}).values():
            meta = entry.get("metadata") or {}
            relation = (
                str(meta.get("database") or "").lower(),
                str(meta.get("schema") or "").lower(),
                str(meta.get("name") or "").lower(),
            )
            columns = sorted((entry.get("columns") or {}).values(), key=lambda c: c.get("index", 0))
            out[relation] = [str(c["name"]).lower() for c in columns]
    return out


class ManifestProvider:
    """Manifests of one project (with its target, vars and profile), cached by their inputs."""

    def __init__(self, project: DbtProject, cache_dir: Path | None = None):
        self.project = project
        self.cache_dir = cache_dir or project.state_dir / "manifests"
        self.last_was_cached: bool | None = None
        self._key: str | None = None

    def path(self, kind: str = "compile", manifest: Path | None = None, branch: str | None = None) -> Path:
        """The manifest file: `manifest` when given; else a cached one for these inputs; else dbt runs.
        `branch` (compile only): "incremental" for the compile of every incremental model's incremental SQL."""
        if manifest is not None:
            self.last_was_cached = None
            return manifest
        assert kind in KINDS, kind
        key = self.key()
        if branch is not None:
            assert kind == "compile" and branch in BRANCHES, (kind, branch)
            return self._compile_branch(key, branch)
        wanted = ("compile",) if kind == "compile" else ("compile", "parse")
        for candidate in wanted:
            cached = self.cache_dir / f"{key}-{candidate}" / "manifest.json"
            if cached.is_file():
                self.last_was_cached = True
                os.utime(cached.parent)
                return cached
        folder = self._build(self.cache_dir / f"{key}-{kind}", kind, "full_refresh" if kind == "compile" else None)
        self.last_was_cached = False
        return folder / "manifest.json"

    def get(self, kind: str = "compile", manifest: Path | None = None, branch: str | None = None) -> dict[str, Any]:
        return load_manifest(self.path(kind, manifest, branch))

    def _compile_branch(self, key: str, branch: str) -> Path:
        folder = self.cache_dir / f"{key}-compile-{branch}"
        if (folder / "manifest.json").is_file():
            os.utime(folder)
            return folder / "manifest.json"
        return self._build(folder, "compile", branch) / "manifest.json"

    def _build(self, folder: Path, command: str, branch: str | None) -> Path:
        """Run dbt `command` (rendering `branch`, when given) into a fresh folder that then replaces `folder`."""
        from governance.project.runner import run_dbt

        building = self._start(folder)
        run_dbt(self.project, command, building, {BRANCH_VAR: branch} if branch else None,
                database=self.cache_dir / f"{command}.duckdb")
        shutil.rmtree(folder, ignore_errors=True)
        building.rename(folder)
        self._prune()
        return folder

    # --- the cache key -----------------------------------------------------------------------------

    def key(self) -> str:
        """The hash of everything that changes a compile (computed once per provider)."""
        if self._key is None:
            self._key = self._compute_key()
        return self._key

    def local_warehouse(self) -> Path | None:
        """The DuckDB file of the project's target, when it is a DuckDB target and the file exists
        (None otherwise)."""
        data = self._target_record()
        path = Path(data["path"]) if data.get("type") == "duckdb" and data.get("path") else None
        return path if path is not None and path.is_file() else None

    def local_target(self) -> Target | None:
        """The project's DuckDB target from the cache (no credential is involved), or None."""
        from governance.project.profiles import Target

        data = self._target_record()
        path = self.local_warehouse()
        if path is None or "name" not in data:
            return None
        return Target(str(data.get("profile")), str(data["name"]), "duckdb", {"path": str(path)},
                      self.project.root, self.project.root / "profiles.yml")

    def target_type(self) -> str | None:
        """The adapter type of the project's target (None when the profile cannot be rendered)."""
        return self._target_record().get("type")

    def _target_record(self) -> dict[str, Any]:
        """The target's type and DuckDB path, cached beside the manifests under the same key (never a
        credential), so a warm command does not import dbt to render the profile."""
        record = self.cache_dir / f"{self.key()}-target.json"
        if record.is_file():
            data = json.loads(record.read_text(encoding="utf-8"))
            if "name" in data:  # a record of an earlier layout is made again
                return data
        try:
            target = self.project.target()
        except ProjectError:
            return {}
        data = {"type": target.type, "path": target.duckdb_path() if target.type == "duckdb" else None,
                "name": target.name, "profile": target.profile}
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(data), encoding="utf-8")
        return data

    def _compute_key(self) -> str:
        digest = hashlib.sha256()
        texts: list[str] = []
        for path in self._inputs():
            stat = path.stat()
            digest.update(f"{path.relative_to(self.project.root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            if path.suffix in (".yml", ".yaml", ".sql", ".jinja") and stat.st_size < 2_000_000:
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        profile = self._profile_file()
        if profile is not None:
            stat = profile.stat()
            digest.update(f"profile\0{profile}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            texts.append(profile.read_text(encoding="utf-8", errors="replace"))
        names = sorted({name for text in texts for name in ENV_VAR_CALL.findall(text)}
                       | {"DBT_TARGET_NAME", "DBT_PROFILES_DIR"})
        for name in names:
            value = os.environ.get(name)
            digest.update(f"env\0{name}\0{'-' if value is None else hashlib.sha256(value.encode()).hexdigest()}\n"
                          .encode())
        digest.update(f"target\0{self.project.target_name}\nvars\0{json.dumps(self.project.cli_vars, sort_keys=True)}"
                      f"\ndbt\0{_dbt_version()}\n".encode())
        return digest.hexdigest()[:20]

    def _inputs(self) -> list[Path]:
        """Every file dbt reads: the project files at the root and the folders its `*-paths` name
        (installed packages included), never the rest of the repository."""
        root = self.project.root
        found = [root / name for name in ROOT_FILES if (root / name).is_file()]
        python_models = set(self.project.paths("model-paths"))
        folders = {path for key in PATH_KEYS for path in self.project.paths(key)}
        folders.add(root / str(self.project.config.get("packages-install-path") or "dbt_packages"))
        for folder in sorted(folders):
            suffixes = INPUT_SUFFIXES | ({".py"} if folder in python_models else set())
            for directory, subfolders, files in os.walk(folder):
                subfolders[:] = sorted(f for f in subfolders if f not in NOT_PROJECT_INPUTS)
                found.extend(Path(directory) / f for f in sorted(files) if Path(f).suffix in suffixes)
        return found

    def _profile_file(self) -> Path | None:
        from governance.project.profiles import find_profiles

        try:
            return find_profiles(self.project)
        except ProjectError:
            return None

    def _start(self, folder: Path) -> Path:
        """A fresh folder to compile into, seeded with dbt's partial-parse state of the newest cached
        compile of the same kind and branch (dbt then re-parses only the files that changed, and parses
        afresh when anything else that matters differs: vars, profile, dbt version)."""
        building = folder.with_name(folder.name + ".partial")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        suffix = folder.name.split("-", 1)[1]
        earlier = sorted((p for p in self.cache_dir.glob(f"*-{suffix}") if p.name.split("-", 1)[1] == suffix
                          and (p / PARTIAL_PARSE).is_file()), key=lambda p: p.stat().st_mtime, reverse=True)
        if earlier:
            shutil.copy2(earlier[0] / PARTIAL_PARSE, building / PARTIAL_PARSE)
        return building

    def _prune(self) -> None:
        entries = sorted((p for p in self.cache_dir.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime,
                         reverse=True)
        for stale in entries[KEEP_CACHED:]:
            shutil.rmtree(stale, ignore_errors=True)


def _dbt_version() -> str:
    try:
        return metadata.version("dbt-core")
    except metadata.PackageNotFoundError:
        return "unknown"
