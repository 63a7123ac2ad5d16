"""as_of and coverage through the HTTP API."""

from __future__ import annotations

from fastapi.testclient import TestClient

DATED = "002_680d75cd3c7ca208"


def test_as_of_limits_the_archive(client: TestClient) -> None:
    body = {"question": "How many soldiers and police have defected?", "as_of": "2021-12-31"}
    response = client.post("/api/v1/ask", json=body)
    assert response.status_code == 200
    assert {p["article_id"] for p in response.json()["passages"]} == {DATED}


def test_as_of_before_every_article_is_a_4xx_that_says_so(client: TestClient) -> None:
    body = {"question": "How many soldiers defected?", "as_of": "2020-01-01"}
    response = client.post("/api/v1/ask", json=body)
    assert 400 <= response.status_code < 500
    assert "no article matches" in response.text


def test_a_bad_as_of_date_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/ask", json={"question": "Who is Ye Mon?", "as_of": "2021-13-40"}
    )
    assert response.status_code == 422
    assert "as_of" in response.text


def test_status_reports_the_archive_coverage(client: TestClient) -> None:
    stats = client.get("/api/v1/status").json()
    assert (stats["articles"], stats["oldest"], stats["newest"], stats["undated"]) == (
        2,
        "2021-09-02",
        "2021-09-02",
        1,
    )
    assert stats["indexed_at"]
