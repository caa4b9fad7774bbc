"""Column lineage and what follows from it: classification carried downstream, its write-back, the
check, and the explanation of one column.

| module | what it owns |
|---|---|
| graph | column lineage of every model and snapshot (sqlglot), transformation kinds |
| propagate | classifications carried along lineage, lowered only by the policy's lineage rules |
| writeback | `governance propagate`: the models' YAML updated (round-trip, atomic, idempotent) |
| check | `governance check`: what fails and what warns |
| explain | `governance lineage MODEL.COLUMN`: the tree back to sources and why the level |
| compute | `analyse(project)`: manifest → lineage → classifications, for every command above |
"""

from governance.lineage.check import check
from governance.lineage.compute import analyse
from governance.lineage.graph import LineageGraph, build_lineage, sql_lineage
from governance.lineage.propagate import PropagationResult, propagate
from governance.lineage.writeback import write_back

__all__ = ["LineageGraph", "PropagationResult", "analyse", "build_lineage", "check", "propagate", "sql_lineage",
           "write_back"]
