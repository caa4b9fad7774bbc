"""Pre-commit hook: every given YAML file parses (ruamel.yaml, the parser governance uses).

Prints `path:line:column: problem` for each invalid file and exits 1; exits 0 when all parse.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError


def check(path: Path) -> str | None:
    yaml = YAML(typ="rt")
    try:
        with path.open(encoding="utf-8") as handle:
            list(yaml.load_all(handle))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        return f"{path}:{where}: {exc.problem or exc.context}"
    except (YAMLError, UnicodeDecodeError, OSError) as exc:
        return f"{path}: {exc}"
    return None


def main(argv: list[str]) -> int:
    problems = [problem for name in argv if (problem := check(Path(name)))]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
