"""kg: knowledge graphs of policy reports.

Stages, each a plain function over typed records (`kg.records`):
`kg.ingest.ingest` → `kg.segment.segment` → `kg.extract.extract` → `kg.to_rdf.to_graph` →
`kg.validate.validate` → `kg.export`; `kg.pipeline.build` runs them all.
"""
__version__ = "0.1.0"
