"""Incremental, idempotent indexing into a real Chroma in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.factory import build_assistant
from tests.conftest import SEED_IDS
from tests.fakes import CountingEmbeddings

pytestmark = pytest.mark.both_stores


def consistent(bot) -> dict[str, int]:
    """Every committed article's chunks present exactly once, nothing orphaned."""
    snap = bot.snapshot()
    fp = snap.fingerprint
    keys = bot.store.chunk_keys(fp)
    committed = {aid: r.content_hash for aid, r in bot.store.committed(fp).items()}
    assert all(committed.get(c.article_id) == c.article_hash for c in keys), "orphan chunks"
    counts: dict[str, int] = {}
    for c in keys:
        counts[c.article_id] = counts.get(c.article_id, 0) + 1
    for aid, record in bot.store.committed(fp).items():
        assert counts.get(aid, 0) == record.chunks
    assert len({c.chunk_id for c in keys}) == len(keys)
    return counts


def test_second_run_embeds_nothing(
    settings_for, tmp_path: Path, embeddings, corpus_copy: Path
) -> None:
    counting = CountingEmbeddings(embeddings)
    bot = build_assistant(settings_for(corpus_copy), embeddings=counting)
    first = bot.index()
    assert sorted(first.added) == list(SEED_IDS) and first.chunks_embedded == counting.documents > 0
    second = bot.index()
    assert second.chunks_embedded == 0 and sorted(second.unchanged) == list(SEED_IDS)
    assert counting.documents == first.chunks_embedded
    consistent(bot)


def test_changed_article_is_replaced_and_unchanged_text_not_reembedded(
    settings_for, tmp_path: Path, embeddings, corpus_copy: Path
) -> None:
    counting = CountingEmbeddings(embeddings)
    bot = build_assistant(settings_for(corpus_copy), embeddings=counting)
    bot.index()
    before = consistent(bot)
    path = corpus_copy / "002_680d75cd3c7ca208.txt"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n\nA new closing paragraph about 77 officers.\n"
    )
    counting.documents = 0
    report = bot.index()
    assert report.updated == ["002_680d75cd3c7ca208"] and report.unchanged == [
        "000_fa0faf298b5d84ef"
    ]
    # Only chunks whose text changed are embedded; the others reuse their stored vectors.
    assert 0 < report.chunks_embedded == counting.documents < before["002_680d75cd3c7ca208"]
    consistent(bot)
    answer = bot.ask("How many officers are in the new closing paragraph?")
    assert any("77 officers" in p.text for p in answer.passages)


def test_removed_article_is_deleted(
    settings_for, tmp_path: Path, embeddings, corpus_copy: Path
) -> None:
    bot = build_assistant(settings_for(corpus_copy), embeddings=embeddings)
    bot.index()
    (corpus_copy / "000_fa0faf298b5d84ef.txt").unlink()
    report = bot.index()
    assert report.removed == ["000_fa0faf298b5d84ef"]
    assert set(consistent(bot)) == {"002_680d75cd3c7ca208"}
    assert [a["id"] for a in bot.articles()] == ["002_680d75cd3c7ca208"]


def test_changed_chunk_settings_rebuild_and_drop_old_collections(
    settings_for, tmp_path: Path, embeddings, corpus_copy: Path
) -> None:
    bot = build_assistant(settings_for(corpus_copy), embeddings=embeddings)
    bot.index()
    old_fp = bot.snapshot().fingerprint
    smaller = settings_for(corpus_copy, chunking={"size_tokens": 128})
    rebuilt = build_assistant(smaller, embeddings=embeddings)
    assert rebuilt.needs_index()
    report = rebuilt.index()
    assert report.rebuilt and any("rebuilding" in w for w in report.warnings)
    assert sorted(report.added) == list(SEED_IDS)
    assert rebuilt.snapshot().fingerprint != old_fp
    assert rebuilt.store.fingerprints() == {rebuilt.snapshot().fingerprint}
    assert int(rebuilt.snapshot().chunks.columns["tokens"].max()) <= 128


def test_killed_run_leaves_previous_index_answering(
    settings_for, tmp_path: Path, embeddings, corpus_copy: Path
) -> None:
    settings = settings_for(corpus_copy, embedding={"batch_size": 1})
    bot = build_assistant(settings, embeddings=embeddings)
    bot.index()
    before = bot.ask("Who is Thet Naing Oo?")
    for path in corpus_copy.glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8").replace("Myanmar", "Burma"))
    crashing = build_assistant(settings, embeddings=CountingEmbeddings(embeddings, fail_after=6))
    with pytest.raises(RuntimeError, match="simulated crash"):
        crashing.index()
    # Each article is at its old or its new version; the old one still answers.
    after = build_assistant(settings, embeddings=embeddings)
    assert after.ask("Who is Thet Naing Oo?").citations
    assert before.citations
    report = after.index()
    assert not report.failed
    counts = consistent(after)
    assert set(counts) == set(SEED_IDS)
    assert all("Burma" in after.article(aid).text for aid in SEED_IDS)


def test_bad_file_loses_nothing_already_indexed(
    settings_for, tmp_path: Path, embeddings, corpus_copy: Path
) -> None:
    bot = build_assistant(settings_for(corpus_copy), embeddings=embeddings)
    bot.index()
    (corpus_copy / "000_fa0faf298b5d84ef.txt").write_bytes(b"\xff\xfe broken \x80 bytes")
    (corpus_copy / "empty.txt").write_bytes(b"")
    shutil.copy(corpus_copy / "002_680d75cd3c7ca208.txt", corpus_copy / "copy-of-002.txt")
    report = bot.index()
    assert set(report.failed) == {"000_fa0faf298b5d84ef.txt", "empty.txt", "copy-of-002.txt"}
    assert "UTF-8" in report.failed["000_fa0faf298b5d84ef.txt"]
    assert report.removed == []
    assert {a["id"] for a in bot.articles()} == set(SEED_IDS)


def test_missing_articles_folder_is_a_clear_error(settings_for, tmp_path: Path, embeddings) -> None:
    bot = build_assistant(settings_for(tmp_path / "nope"), embeddings=embeddings)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        bot.index()


def test_corrupted_state_record_is_repaired_by_the_next_run(
    settings_for, embeddings, corpus_copy: Path
) -> None:
    from assistant.errors import NotIndexed

    bot = build_assistant(settings_for(corpus_copy), embeddings=embeddings)
    bot.index()
    bot.store._collection("state").upsert(
        ids=["active"],
        embeddings=[[1.0]],
        metadatas=[{"generation": "x", "settings": "{not json"}],
        documents=[""],
    )
    fresh = build_assistant(settings_for(corpus_copy), embeddings=embeddings)
    with pytest.raises(NotIndexed, match="assistant index"):
        fresh.ask("Who is Thet Naing Oo?")
    report = fresh.index()
    assert report.chunks_embedded == 0 and sorted(report.unchanged) == list(SEED_IDS)
    assert fresh.ask("Who is Thet Naing Oo?").citations
    consistent(fresh)


def test_unusable_index_folder_is_a_clear_error(
    tmp_path: Path, embeddings, store_mode: str
) -> None:
    from assistant.errors import StoreUnavailable
    from tests.conftest import make_settings

    if store_mode != "embedded":
        pytest.skip("server mode keeps no index folder")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # a folder cannot be made under a file, even by root
    bot = build_assistant(make_settings(blocker / "index"), embeddings=embeddings)
    with pytest.raises(StoreUnavailable, match="cannot write to the index folder"):
        bot.index()
