"""Stage 4: one module per component of a Decree 30 document.

Each module takes the zones it needs (``pipeline.zones.Layout`` pieces) and
returns plain values plus their provenance; none of them reads the file or
reaches back into the ingest stage.
"""
