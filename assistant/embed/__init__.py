"""Embed: passages and questions into vectors.

The embedders (`embedders`: ONNX Runtime or sentence-transformers), the bundled model's files and
conversion (`backend/`), vector keys (`keys`), bulk embedding on every core or on Ray actors,
resumable (`bulk`, `ray_actors`), and the libraries' process-wide state (`runtime`).

May import: the base modules and `text`.
"""
