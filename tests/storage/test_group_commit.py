"""Group writes and streaming: one write per collection per group, still atomic per article."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import assistant.storage.indexer as indexer_module
from assistant.chunking import chunk_article
from assistant.factory import build_assistant
from assistant.ingest import load_corpus
from assistant.storage.indexer import embedding_text
from tests.fakes import CountingEmbeddings
from tests.reliability.synthetic import write_corpus
from tests.storage.test_indexer import consistent

pytestmark = pytest.mark.both_stores

SMALL = {"chunking": {"size_tokens": 64, "overlap_tokens": 8}, "embedding": {"batch_size": 2}}


class CallLog:
    """Records the indexer's writes to the store, in order, and can fail one of them."""

    def __init__(self, store: Any, fail: str = "", on_call: int = 0) -> None:
        self.events: list[tuple[str, list[str]]] = []
        self.counts: dict[str, int] = {}
        for name, ids_of in (
            ("add_chunks", lambda args: [r.article_id for r in args[1]]),
            ("commit_articles", lambda args: [f"{a.id}#{n}" for a, n in args[1]]),
            ("delete_chunk_ids", lambda args: [i.split(":")[0] for i in args[1]]),
        ):
            self._wrap(store, name, ids_of, fail == name, on_call)

    def _wrap(self, store: Any, name: str, ids_of: Any, fail: bool, on_call: int) -> None:
        real = getattr(store, name)

        def wrapper(*args: Any) -> Any:
            self.counts[name] = self.counts.get(name, 0) + 1
            if fail and self.counts[name] == on_call:
                raise RuntimeError(f"simulated crash in {name}")
            self.events.append((name, ids_of(args)))
            return real(*args)

        setattr(store, name, wrapper)

    def calls(self, name: str) -> int:
        return sum(1 for event, _ in self.events if event == name)


def revision(bot, article_id: str) -> str:
    text = bot.article(article_id).text
    return text[text.rindex("revision") :].split(":")[0]


def check_order(log: CallLog) -> None:
    """Every manifest record after all its article's chunks; stale chunks deleted only after."""
    written: Counter[str] = Counter()
    committed: set[str] = set()
    for event, ids in log.events:
        if event == "add_chunks":
            written.update(ids)
        elif event == "commit_articles":
            for entry in ids:
                article_id, n_chunks = entry.split("#")
                assert written[article_id] >= int(n_chunks), f"{article_id} committed too early"
                committed.add(article_id)
        else:
            assert set(ids) <= committed, "old chunks deleted before the new version's record"


def test_one_write_per_collection_per_group_and_chunks_before_their_manifest(
    settings_for, tmp_path: Path, embeddings
) -> None:
    articles = tmp_path / "articles"
    write_corpus(articles, 12)
    bot = build_assistant(settings_for(articles, **SMALL), embeddings=embeddings)
    log = CallLog(bot.store)
    report = bot.index()
    assert len(report.added) == 12
    groups = log.calls("commit_articles")
    assert 1 < groups < 12  # several articles a group, several groups
    assert log.calls("add_chunks") == groups
    assert log.calls("delete_chunk_ids") == 0  # a fresh index has nothing stale
    check_order(log)
    consistent(bot)

    write_corpus(articles, 12, version=1)  # every article changes
    log = CallLog(bot.store)
    report = bot.index()
    assert len(report.updated) == 12
    groups = log.calls("commit_articles")
    assert 1 < groups < 12
    assert log.calls("add_chunks") == log.calls("delete_chunk_ids") == groups
    check_order(log)
    consistent(bot)


@pytest.mark.parametrize("fail", ["commit_articles", "delete_chunk_ids"])
def test_a_crash_inside_a_group_write_leaves_old_or_new_and_the_next_run_heals(
    settings_for, tmp_path: Path, embeddings, fail: str
) -> None:
    articles = tmp_path / "articles"
    write_corpus(articles, 12)
    settings = settings_for(articles, **SMALL)
    build_assistant(settings, embeddings=embeddings).index()
    write_corpus(articles, 12, version=1)  # every article changes

    crashing = build_assistant(settings, embeddings=embeddings)
    CallLog(crashing.store, fail=fail, on_call=2)
    with pytest.raises(RuntimeError, match="simulated crash"):
        crashing.index()

    reader = build_assistant(settings, embeddings=embeddings)
    versions = {revision(reader, a["id"]) for a in reader.articles()}
    assert len(reader.articles()) == 12
    assert "revision 1" in versions  # the first group went through
    if fail == "commit_articles":
        assert "revision 0" in versions  # the second group's chunks were written, not committed
    assert reader.ask("Which plan did the council in Arlen approve?").passages

    counting = CountingEmbeddings(embeddings)
    healed = build_assistant(settings, embeddings=counting)
    report = healed.index()
    assert not report.failed
    consistent(healed)  # no orphan chunk of either version is left
    assert {revision(healed, a["id"]) for a in healed.articles()} == {"revision 1"}


def test_streaming_progress_starts_before_the_corpus_is_chunked(
    settings_for, tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles"
    write_corpus(articles, 24)
    chunked: list[str] = []
    real_chunk_article = indexer_module.chunk_article

    def counting_chunk_article(article, *args):  # type: ignore[no-untyped-def]
        chunked.append(article.id)
        return real_chunk_article(article, *args)

    monkeypatch.setattr(indexer_module, "chunk_article", counting_chunk_article)
    calls: list[tuple[int, int, int]] = []
    bot = build_assistant(settings_for(articles, **SMALL), embeddings=embeddings)
    bot.index(progress=lambda done, total: calls.append((done, total, len(chunked))))

    assert calls[0] == (0, 24, 0)  # the total is known before any work
    assert calls[-1][:2] == (24, 24)
    first_done = next(c for c in calls if c[0] > 0)
    assert first_done[2] < 24 // 2, "the first group was written only after chunking everything"
    # Never more than about two groups chunked ahead of what is written.
    largest_group = max(b[0] - a[0] for a, b in zip(calls, calls[1:], strict=False))
    assert all(c - done <= 2 * largest_group for done, _, c in calls)


def test_a_text_shared_by_articles_in_different_groups_is_embedded_once(
    settings_for, tmp_path: Path, embeddings
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shared = "The harbour board in Farrow hired 77 pilots for project Kestrel, the board said."
    for i in range(10):
        unique = f"Article {i} adds that the next meeting of the board is on day {i + 1}."
        (articles / f"k{i:02d}.txt").write_text(f"Kestrel\n\n{shared}\n\n{unique}\n", "utf-8")
    sections = {
        "chunking": {"size_tokens": 24, "overlap_tokens": 0},
        "embedding": {"batch_size": 1},
    }
    settings = settings_for(articles, **sections)
    c = settings.chunking
    texts = [
        embedding_text(a, ch)
        for a in load_corpus(articles).articles
        for ch in chunk_article(a, c.size_tokens, c.overlap_tokens, c.encoding)
    ]
    assert len(set(texts)) < len(texts)  # the shared paragraph is a chunk of every article

    counting = CountingEmbeddings(embeddings)
    bot = build_assistant(settings, embeddings=counting)
    report = bot.index()
    assert report.chunks_embedded == counting.documents == len(set(texts))
    consistent(bot)
    fp = bot.snapshot().fingerprint
    stored = bot.store.chunk_embeddings(fp, ["k00", "k09"])
    first = {v.record.article_id: v.embedding for v in stored if v.record.chunk_id.endswith(":0")}
    assert first["k00"] == pytest.approx(first["k09"])


def test_query_asks_for_more_than_there_is_without_counting(
    settings_for, tmp_path: Path, embeddings, corpus_copy: Path
) -> None:
    settings = settings_for(corpus_copy)
    bot = build_assistant(settings, embeddings=embeddings)
    fp = settings.index_fingerprint()
    vector = embeddings.embed_query("soldiers defect")
    assert bot.store.query(fp, vector, 10) == []  # an empty collection
    bot.index()
    assert bot.snapshot().fingerprint == fp
    total = len(bot.store.chunk_keys(fp))
    hits = bot.store.query(fp, vector, total + 50)
    assert len(hits) == total and len({chunk.chunk_id for chunk, _ in hits}) == total
    assert bot.store.query(fp, vector, 0) == []
