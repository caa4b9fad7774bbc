"""The PII scan: sample raw tables, detect personal data with Presidio, write the classification.

| module | what it owns |
|---|---|
| pipeline | `ScanPipeline`: connect → list → sample → detect → decide → write back; `ScanReport` |
| sampling | deterministic, bounded sampling SQL per dialect; no value ever leaves memory |
| classifier | recognizers and the per-column decision (entities, scores, coverage, level) |
| state | re-scan state: unchanged tables are not sampled again |
| writeback | results into the sources' YAML (round-trip, atomic, manual kept) |
"""
