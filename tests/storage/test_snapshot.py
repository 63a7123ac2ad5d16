"""Saved index snapshots: a new process opens what an index run built, identical to a rebuild."""

from __future__ import annotations

import logging
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from assistant.models import Filters
from assistant.storage.records import chroma_where
from assistant.storage.snapshot import KEEP, IndexSnapshot
from assistant.storage.store import ChromaStore

pytestmark = pytest.mark.both_stores

BURMESE = "မြန်မာနိုင်ငံ၏ ရဲတပ်ဖွဲ့ဝင် နှစ်ဦး စစ်တပ်မှ ထွက်ခွာခဲ့သည်။"
QUERIES = ["Who is Thet Naing Oo?", "KNU spokesperson", "harbour ferry timetable", "ထွက်ခွာ"]


def _corpus(folder: Path) -> Path:
    shutil.copytree(Path(__file__).resolve().parents[2] / "articles", folder)
    (folder / "ferry.md").write_text(
        "---\ntitle: Ferry timetable\noutlet: Harbour News\npublished: 2024-03-05\n---\n\n"
        "The harbour ferry timetable changed on Tuesday after a storm.\n\n"
        f"{BURMESE}\n\nEmoji and accents survive: café 🚢 naïve.\n"
    )
    return folder


def _saved(bot) -> list[Path]:
    return sorted(p for p in (bot.settings.index.dir / "snapshots").iterdir() if p.is_dir())


def _scores(snap: IndexSnapshot, query: str) -> dict[str, float]:
    hits = snap.lexical.search(query, len(snap.chunks))
    return {snap.chunk_ids[row]: round(score, 4) for row, score in hits}


def _same(a: IndexSnapshot, b: IndexSnapshot) -> None:
    """The same chunks, manifest and BM25 scores (rows may be in another order)."""
    assert sorted(a.chunk_ids) == sorted(b.chunk_ids)
    assert a.committed == b.committed
    row_of = {cid: row for row, cid in enumerate(b.chunk_ids)}
    for row, cid in enumerate(a.chunk_ids):
        assert a.chunk(row) == b.chunk(row_of[cid])
    for query in QUERIES:
        assert _scores(a, query) == _scores(b, query)
        assert _scores(a, query)  # the check compares something
    assert a.lexical.document_frequency == b.lexical.document_frequency


def test_a_new_process_opens_the_saved_snapshot_without_reading_chunks(
    tmp_path: Path, bot_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus(tmp_path / "articles")
    writer = bot_for(folder)
    writer.index()
    [saved] = _saved(writer)
    state = writer.state()
    assert state is not None and saved.name == f"{state.fingerprint}-{state.generation}"
    built = writer.snapshot()

    # A chunk's record in the snapshot is exactly Chroma's (less the embedding's key).
    stored = {c.chunk_id: c for c in writer.store.iter_chunks(built.fingerprint)}
    for row in range(len(built.chunks)):
        chunk = built.chunk(row)
        assert chunk.text == stored[chunk.chunk_id].text
        assert chunk == replace(stored[chunk.chunk_id], embed_key="")

    def no_chunk_reads(*args, **kwargs):
        raise AssertionError("the saved snapshot should have been opened, not rebuilt")

    monkeypatch.setattr(ChromaStore, "iter_chunks", no_chunk_reads)
    reader = bot_for(folder)
    opened = reader.snapshot()
    _same(built, opened)
    answer = reader.ask("Who is Thet Naing Oo?")
    assert not answer.abstained and "police" in answer.answer.lower()


def test_an_unreadable_saved_snapshot_is_rebuilt(
    tmp_path: Path, bot_for, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _corpus(tmp_path / "articles")
    writer = bot_for(folder)
    writer.index()
    built = writer.snapshot()
    [saved] = _saved(writer)
    (saved / "committed.json").write_text("{not json")
    with caplog.at_level(logging.WARNING):
        rebuilt = bot_for(folder).snapshot()
    assert "unreadable" in caplog.text
    _same(built, rebuilt)
    # ... and saved again, readable this time.
    _same(built, bot_for(folder).snapshot())


def test_a_run_in_progress_is_never_saved(tmp_path: Path, bot_for) -> None:
    folder = _corpus(tmp_path / "articles")
    bot = bot_for(folder)
    bot.index()
    fp = bot.settings.index_fingerprint()
    dirty = bot.store.write_state(fp, {}, dirty=True)  # as a run that was killed half-way
    snapshot = bot_for(folder).snapshot()
    assert snapshot.generation == dirty.generation
    assert all(dirty.generation not in p.name for p in _saved(bot))


def test_only_the_newest_generations_are_kept(tmp_path: Path, bot_for) -> None:
    folder = _corpus(tmp_path / "articles")
    bot = bot_for(folder)
    for round_ in range(KEEP + 2):
        (folder / "extra.txt").write_text(f"Round {round_}\n\nThe ferry made {round_} crossings.")
        bot.index()
    saved = _saved(bot)
    assert len(saved) == KEEP
    state = bot.state()
    assert state is not None and f"{state.fingerprint}-{state.generation}" in {
        p.name for p in saved
    }


def test_filter_mask_matches_chromas_where_clause(tmp_path: Path, bot_for) -> None:
    folder = _corpus(tmp_path / "articles")
    bot = bot_for(folder)
    bot.index()
    snap = bot.snapshot()
    cases = [
        Filters(article_ids=("ferry",)),
        Filters(outlets=("Harbour News",)),
        Filters(published_from=date(2021, 9, 1)),
        Filters(published_to=date(2023, 1, 1)),
        Filters(article_ids=("nothing-like-this",)),
    ]
    for filters in cases:
        mask = snap.mask(filters)
        assert mask is not None
        where = chroma_where(filters)
        found = bot.store.chunks(snap.fingerprint).get(where=where, include=[])["ids"]
        expected = [chunk_id in set(found) for chunk_id in snap.chunk_ids]
        assert mask.tolist() == expected
        assert 0 < sum(expected) < len(expected) or filters.article_ids == ("nothing-like-this",)
    assert snap.mask(Filters()) is None
    rows = snap.lexical.search("ferry timetable", 5, snap.mask(Filters(outlets=("Harbour News",))))
    assert rows and {snap.chunks.article_id(r) for r, _ in rows} == {"ferry"}
    assert np.all(snap.chunks.text_offsets[1:] >= snap.chunks.text_offsets[:-1])


def test_after_a_small_change_only_the_changed_articles_are_read_again(
    tmp_path: Path, bot_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus(tmp_path / "articles")
    for i in range(6):
        (folder / f"n{i}.txt").write_text(f"Notice {i}\n\nThe ferry made {i} crossings today.")
    bot = bot_for(folder)
    bot.index()
    bot.snapshot()

    text = (folder / "ferry.md").read_text()
    (folder / "ferry.md").write_text(text.replace("after a storm", "after a long storm"))
    (folder / "n0.txt").unlink()
    (folder / "late.txt").write_text("Late notice\n\nThe harbour closed early for the storm.")
    asked: list[list[str]] = []
    real_chunks_of = ChromaStore.chunks_of

    def spy(self, fp, article_ids, *args, **kwargs):
        asked.append(list(article_ids))
        return real_chunks_of(self, fp, article_ids, *args, **kwargs)

    def no_full_read(*args, **kwargs):
        raise AssertionError("an incremental build must not read every chunk")

    monkeypatch.setattr(ChromaStore, "chunks_of", spy)
    monkeypatch.setattr(ChromaStore, "iter_chunks", no_full_read)
    bot.index()
    incremental = bot.snapshot()
    assert asked == [["ferry", "late"]]

    monkeypatch.undo()
    state = bot.state()
    assert state is not None and incremental.generation == state.generation
    full = IndexSnapshot.build(bot.store, state.fingerprint, state.generation)
    _same(incremental, full)
    assert "n0" not in incremental.chunks.article_ids
    assert any("long storm" in incremental.chunks.text(r) for r in range(len(incremental.chunks)))
    # ... and a new process opens the saved incremental build, identical again.
    _same(bot_for(folder).snapshot(), full)
