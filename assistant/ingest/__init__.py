"""Ingest: from files to documents and passages.

Finding the article files of folders (`discovery`), loading one with its metadata (`documents`,
`metadata`), and cutting it into sentence-aligned passages with exact offsets (`chunking`).

May import: the base modules and `text`.
"""
