"""The JSON API: the answer contract, streaming, articles, feedback, and refusals with a message."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.errors import StoreUnavailable
from assistant.service import Assistant

QUESTION = "How many soldiers defected to the KNU?"
KNU_ARTICLE = "000_fa0faf298b5d84ef"
RFA_ARTICLE = "002_680d75cd3c7ca208"
CONTRACT = {"question", "answer", "abstained", "citations", "passages", "nearest", "engine",
            "search_query", "flagged", "timings_ms"}  # fmt: skip


def sse_events(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_ask_returns_the_answer_contract(client: TestClient, shipped_bot: Assistant) -> None:
    response = client.post("/api/v1/ask", json={"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= CONTRACT
    assert body["question"] == QUESTION and not body["abstained"]
    assert "[1]" in body["answer"]
    citation = body["citations"][0]
    article = client.get(f"/api/v1/articles/{citation['article_id']}").json()
    assert article["text"][citation["start"] : citation["end"]] == citation["quote"]
    direct = shipped_bot.ask(QUESTION).to_dict()
    assert body["answer"] == direct["answer"] and body["citations"] == direct["citations"]


def test_ask_with_history_filters_and_engine(client: TestClient) -> None:
    body = {
        "question": "How many police have joined the movement?",
        "history": [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "12"}],
        "filters": {"outlets": ["RFA"], "published_from": "2021-01-01"},
        "engine": "extractive",
    }
    response = client.post("/api/v1/ask", json=body)
    assert response.status_code == 200, response.text
    citations = response.json()["citations"]
    assert citations and {c["article_id"] for c in citations} == {RFA_ARTICLE}
    only_knu = {**body, "filters": {"article_ids": [KNU_ARTICLE]}}
    cited = {c["article_id"] for c in client.post("/api/v1/ask", json=only_knu).json()["citations"]}
    assert cited <= {KNU_ARTICLE}


def test_stream_sends_deltas_then_the_final_answer(client: TestClient) -> None:
    response = client.post("/api/v1/ask/stream", json={"question": QUESTION})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "answer" and set(kinds[:-1]) == {"delta"} and len(kinds) > 2
    assert "".join(data["text"] for _, data in events[:-1]).strip()
    final = events[-1][1]
    assert set(final) >= CONTRACT and "[1]" in final["answer"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"question": ""}, 422, "the question is empty"),
        ({"question": "   \n\t "}, 422, "the question is empty"),
        ({"question": "x" * 20_000}, 422, "too long (20,000 characters"),
        ({"question": "x" * 60_000}, 422, "at most 50000 characters"),
        ({"question": "hi", "engine": "gpt-9"}, 400, "unknown engine 'gpt-9'"),
        ({"question": "hi", "filters": {"published_from": "2021-02-30"}}, 422, "published_from"),
        ({"question": "hi", "filters": {"published_from": "yesterday"}}, 422, "valid date"),
        (
            {
                "question": "hi",
                "filters": {"published_from": "2022-01-01", "published_to": "2021-01-01"},
            },
            422,
            "after",
        ),  # fmt: skip
        ({"question": 42}, 422, "question: Input should be a valid string"),
        ({"question": "hi", "history": "no"}, 422, "history"),
        ({"question": "hi", "history": [{"role": "system", "content": "x"}]}, 422, "role"),
        ({"question": "hi", "filters": {"article_ids": 7}}, 422, "article_ids"),
        ({"question": "hi", "top_k": 3}, 422, "Extra inputs are not permitted"),
        ({}, 422, "question: Field required"),
    ],
)
def test_bad_requests_are_4xx_with_a_message(
    client: TestClient, body: dict[str, Any], status: int, message: str
) -> None:
    for path in ("/api/v1/ask", "/api/v1/ask/stream"):
        response = client.post(path, json=body)
        assert response.status_code == status, (path, response.text)
        detail = response.json()["detail"]
        assert isinstance(detail, str) and message in detail, detail


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/ask", content=b'{"question": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON decode error" in response.json()["detail"]


def test_articles_and_a_missing_one(client: TestClient) -> None:
    listed = client.get("/api/v1/articles").json()
    assert [a["id"] for a in listed] == [KNU_ARTICLE, RFA_ARTICLE]
    article = client.get(f"/api/v1/articles/{RFA_ARTICLE}").json()
    assert article["outlet"] == "RFA" and article["published"] == "2021-09-02"
    assert "Thet Naing Oo" in article["text"]
    missing = client.get("/api/v1/articles/nope")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no indexed article has the id 'nope'"


def test_feedback_is_stored_and_exported(client: TestClient) -> None:
    answer = client.post("/api/v1/ask", json={"question": QUESTION}).json()
    body = {"question": QUESTION, "answer": answer["answer"], "citations": answer["citations"],
            "engine": answer["engine"], "rating": "like", "comment": "spot on"}  # fmt: skip
    saved = client.post("/api/v1/feedback", json=body)
    assert saved.status_code == 201 and saved.json()["id"] >= 1
    client.post("/api/v1/feedback", json={**body, "rating": "dislike", "comment": ""})
    jsonl = client.get("/api/v1/feedback/export")
    assert jsonl.headers["content-type"].startswith("application/x-ndjson")
    entries = [json.loads(line) for line in jsonl.text.splitlines()]
    assert [e["rating"] for e in entries] == ["like", "dislike"]
    assert entries[0]["citations"] == answer["citations"] and entries[0]["comment"] == "spot on"
    csv_export = client.get("/api/v1/feedback/export?format=csv")
    assert csv_export.headers["content-type"].startswith("text/csv")
    assert csv_export.text.splitlines()[0].startswith("id,created_at,rating,question")
    assert "attachment" in csv_export.headers["content-disposition"]
    assert client.get("/api/v1/feedback/export?format=xml").status_code == 422
    bad = client.post("/api/v1/feedback", json={**body, "rating": "meh"})
    assert bad.status_code == 422 and "rating" in bad.json()["detail"]


def test_healthz_reports_the_index(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["index_loaded"] is True
    assert health["articles"] == 2 and health["chunks"] > 0 and health["indexed_at"]


def test_missing_index_or_store_is_503(
    client_for: Callable[..., TestClient],
    bot_for: Callable[..., Assistant],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = bot_for()  # built, never indexed
    client = client_for(bot)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["index_loaded"] is False
    response = client.post("/api/v1/ask", json={"question": QUESTION})
    assert response.status_code == 503 and "nothing is indexed" in response.json()["detail"]

    def refuse() -> None:
        raise StoreUnavailable("the Chroma store at db:8000 is unavailable: connection refused")

    monkeypatch.setattr(bot.store, "state", refuse)
    for path in ("/api/v1/ask", "/api/v1/ask/stream"):
        response = client.post(path, json={"question": QUESTION})
        assert response.status_code == 503
        assert "is unavailable: connection refused" in response.json()["detail"]
    assert client.get("/api/v1/articles").status_code == 503


def test_openapi_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/ask", "/api/v1/ask/stream", "/api/v1/feedback", "/healthz"} <= set(paths)
    assert not any(p.startswith("/articles") for p in paths)


def test_openapi_documents_the_answer_and_a_real_answer_validates(client: TestClient) -> None:
    from dataclasses import fields

    from assistant.models import ANSWER_PASSAGE_FIELDS, Answer
    from assistant.web.schemas import AnswerOut

    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["Answer"]["properties"]) == {f.name for f in fields(Answer)}
    assert set(schemas["Passage"]["properties"]) == set(ANSWER_PASSAGE_FIELDS)
    assert {"quote", "start", "end", "verified"} <= set(schemas["Citation"]["properties"])
    ask = spec["paths"]["/api/v1/ask"]["post"]["responses"]["200"]["content"]
    assert ask["application/json"]["schema"]["$ref"] == "#/components/schemas/Answer"
    stream = spec["paths"]["/api/v1/ask/stream"]["post"]["responses"]["200"]["content"]
    assert stream["text/event-stream"]["schema"]["$ref"] == "#/components/schemas/Answer"

    body = client.post("/api/v1/ask", json={"question": QUESTION}).json()
    assert AnswerOut.model_validate(body).model_dump(mode="json") == body
    streamed = client.post("/api/v1/ask/stream", json={"question": QUESTION})
    event, final = sse_events(streamed.text)[-1]
    assert event == "answer" and AnswerOut.model_validate(final).model_dump(mode="json") == final
    with pytest.raises(ValueError):  # the model checks, it does not just pass things through
        AnswerOut.model_validate({**body, "citations": [{"n": "one"}]})
