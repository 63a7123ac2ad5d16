"""Copy an index from one Chroma store to another (e.g. embedded folder -> Chroma server)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.storage.store import ChromaStore

PAGE = 1000


def copy_index(
    source: ChromaStore, target: ChromaStore, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every collection of ``source``'s index, vectors included (nothing is re-embedded).

    Chunks and manifests go first and the state record last, so a worker reading the target
    never sees an active fingerprint whose collections are still being copied.
    """
    prefix = f"{source.name}-"
    names = sorted(
        (c.name if hasattr(c, "name") else str(c) for c in source.client.list_collections()),
        key=lambda n: n.endswith("-state"),
    )
    copied: dict[str, int] = {}
    for name in (n for n in names if n.startswith(prefix)):
        suffix = name[len(prefix) :]
        src = source.client.get_collection(name)
        dst = target.client.get_or_create_collection(
            f"{target.name}-{suffix}",
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )
        count, offset = 0, 0
        while True:
            got = src.get(
                include=["embeddings", "documents", "metadatas"], limit=PAGE, offset=offset
            )
            if not got["ids"]:
                break
            dst.upsert(
                ids=got["ids"],
                embeddings=got["embeddings"],
                documents=got["documents"],
                metadatas=got["metadatas"],
            )
            count += len(got["ids"])
            offset += PAGE
            if progress:
                progress(suffix, count)
        copied[suffix] = count
    target.forget_handles()
    return copied
