"""The index: typed records in Chroma, the indexer that writes them, and the reader that serves
them (a committed snapshot with BM25, hybrid search, article texts).

Only the service and the composition root import this package; the shells, the answer stage and
the evaluation go through ``Assistant``. Nothing here runs at import time.
"""
