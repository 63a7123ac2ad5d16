"""A real-news dev corpus from RealTime QA 2024-2025: articles, answerable and unanswerable questions.

``python -m bench.realtimeqa prepare --git-dir /work/.mirror/realtimeqa+realtimeqa_public/repo
--out /work/data/rtqa``

Source: realtimeqa/realtimeqa_public (Kasai et al. 2022), read from a local bare git copy. Only
``past/2024/`` and ``past/2025/`` are read; every other year is held out for an independent
check, and the script refuses any path outside those two folders.

What it writes under ``--out``:

- ``articles/<id>.md``: every search-result article of the chosen weeks, once (id = a hash of
  the URL), with YAML front matter giving only what the data gives (``title``, ``url``, and
  ``published`` and ``author`` from the result's ``publish_date`` and ``authors``). The
  text is left as the data has it: a dateline or "Updated ..." line stays in the body.
- ``testset.yaml``: the project's eval format (evals/README.md), each case with ``as_of`` = its
  quiz week and, when answerable, ``short`` = the answer. ANSWERABLE cases (``rtqa``):
  questions of the chosen weeks whose short answer (``choices[int(answer[0])]``) occurs,
  normalised, case-insensitive and word-bounded, in at least one of the question's own
  search-result articles; those articles are its ``sources``. UNANSWERABLE cases
  (``refuse-rtqa``): questions of the other weeks whose answer occurs in no indexed article,
  about a third as many. Questions worded on their choices ("which of the following", "all of
  the above") are dropped. Split tune / heldout by alternate weeks, for both kinds.
  STALE cases (``refuse-rtqa-stale``): a question about the news of a moment ("this week",
  "recently", read as the product reads it, ``question_time.news_since``) whose answer occurs
  only in articles published before that moment (a 2022 report of the same volcano erupting).
  The archive holds no report from then, so the honest answer is a refusal: such a case is
  unanswerable, with the older articles named in its notes.
- ``manifest.json``: the weeks and the counts.

A second, disjoint dev corpus: ``--avoid /work/data/rtqa --split tune`` leaves out every week the
first corpus uses (indexed, or the source of an unanswerable question), so none of its questions,
held-out ones included, is seen, and puts every case in one split: more tuning data, on articles
and questions the rules were not tuned on.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ALLOWED_YEARS = ("2024", "2025")
MIN_ARTICLES, MAX_ARTICLES = 2000, 2300
MIN_TEXT_CHARS = 200  # shorter search results are error pages or teasers
UNANSWERABLE_SHARE = 1 / 3
RESULTS_FILE = "search_results.jsonl"  # per question of the indexed weeks: its results' ids
SLICE_ARTICLES = 280
CHOICE_WORDING = re.compile(
    r"\b(which|what|who) of (the|these) (following|options|choices)\b|\bof the following\b"
    r"|\b(all|none|both|neither) of the above\b|\bwhich of these\b",
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")


class HeldOutError(ValueError):
    """A path outside past/2024 and past/2025 was asked for."""


def check_path(path: str) -> str:
    """``path`` if it lies in an allowed year folder; raises otherwise (held-out years)."""
    parts = path.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "past" or parts[1] not in ALLOWED_YEARS or ".." in parts:
        raise HeldOutError(f"refusing to read {path!r}: only past/2024/ and past/2025/ may be used")
    return path


def normalise(text: str) -> str:
    """NFKC, straight quotes, plain hyphens, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", _DASHES.sub("-", text)).strip().lower()


def clean_answer(answer: str) -> str:
    """The answer as written, without surrounding quotes or punctuation and a leading "The"."""
    text = _SPACE.sub(" ", answer).strip(" .,;:!?\"'\u2018\u2019\u201c\u201d")
    return text[4:] if text.lower().startswith("the ") and len(text) > 8 else text


def answer_key(answer: str) -> str:
    """What is searched for: the cleaned answer, normalised."""
    return normalise(clean_answer(answer))


def occurs(key: str, text: str) -> bool:
    """Whether ``key`` occurs in ``text`` (both normalised) with no word character touching it."""
    if not key:
        return False
    start = text.find(key)
    while start >= 0:
        end = start + len(key)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = text.find(key, start + 1)
    return False


def article_id(url: str) -> str:
    return "rtqa_" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


@dataclass
class Week:
    date: str  # YYYYMMDD
    questions: list[dict[str, Any]]
    results: dict[str, list[dict[str, Any]]]  # question_id -> search results
    urls: list[str] = field(default_factory=list)


class Repo:
    """Reads files from the bare git copy, only in the allowed year folders."""

    def __init__(self, git_dir: Path, rev: str = "HEAD") -> None:
        self.git_dir, self.rev = git_dir, rev

    def _git(self, *args: str) -> str:
        out = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), *args],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def list_year(self, year: str) -> list[str]:
        folder = check_path(f"past/{year}/x")[: -len("/x")]
        return self._git("ls-tree", "--name-only", f"{self.rev}:{folder}").split()

    def jsonl(self, path: str) -> list[dict[str, Any]]:
        text = self._git("show", f"{self.rev}:{check_path(path)}")
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def load_weeks(repo: Repo) -> list[Week]:
    weeks = []
    for year in ALLOWED_YEARS:
        names = set(repo.list_year(year))
        for name in sorted(names):
            if not name.endswith("_qa.jsonl") or name.replace("_qa.", "_gcs.") not in names:
                continue
            date = name.split("_", 1)[0]
            questions = repo.jsonl(f"past/{year}/{name}")
            gcs = repo.jsonl(f"past/{year}/{date}_gcs.jsonl")
            results = {g["question_id"]: g.get("search_result") or [] for g in gcs}
            urls = [
                r["url"]
                for q in questions
                for r in results.get(q["question_id"], [])
                if r.get("url") and len((r.get("text") or "").strip()) >= MIN_TEXT_CHARS
            ]
            weeks.append(Week(date, questions, results, list(dict.fromkeys(urls))))
    return weeks


def choose_weeks(
    weeks: list[Week], least: int = MIN_ARTICLES, most: int = MAX_ARTICLES
) -> list[Week]:
    """Evenly spaced weeks over the whole span: the fewest whose unique articles reach
    ``least`` (and stay under ``most``, trying other phases of the spacing)."""
    n = len(weeks)
    for k in range(2, n + 1):
        fitting = []
        for phase in (0.5, 0.25, 0.75, 0.0, 1 / 3, 2 / 3):
            picks = sorted({min(n - 1, int((i + phase) * n / k)) for i in range(k)})
            chosen = [weeks[i] for i in picks]
            count = len({u for w in chosen for u in w.urls})
            if least <= count <= most:
                return chosen
            fitting.append(count)
        if min(fitting) > most:
            break
    raise SystemExit(f"no even spacing of weeks gives {least}-{most} articles")


def answer_of(question: dict[str, Any]) -> str:
    return clean_answer(str(question["choices"][int(question["answer"][0])]))


def evidence_start(question: dict[str, Any], length: int = 100) -> str:
    text = _SPACE.sub(" ", _TAG.sub("", question.get("evidence") or "")).strip()
    return text[:length] + ("..." if len(text) > length else "")


def case_id(question: dict[str, Any]) -> str:
    return "rtqa-" + str(question["question_id"]).replace("_", "-")


def split_of(index: int) -> str:
    return "tune" if index % 2 == 0 else "heldout"


def _notes(week: str, question: dict[str, Any]) -> str:
    return f"RealTime QA week {week}; evidence: {evidence_start(question)}"


def build(weeks: list[Week], chosen: list[Week]) -> dict[str, Any]:
    """Articles, cases and counts for the chosen weeks."""
    articles: dict[str, dict[str, str]] = {}  # url -> {id, title, text, norm}
    for week in chosen:
        for q in week.questions:
            for r in week.results.get(q["question_id"], []):
                url, text = r.get("url"), (r.get("text") or "").strip()
                if url and len(text) >= MIN_TEXT_CHARS and url not in articles:
                    title = _SPACE.sub(" ", r.get("title") or "").strip()
                    articles[url] = {
                        "id": article_id(url),
                        "title": title,
                        "text": text,
                        "published": published_of(r),
                        "author": authors_of(r),
                    }
    norm = {url: normalise(a["text"]) for url, a in articles.items()}
    counts = {"questions_in_chosen_weeks": 0, "dropped_choice_wording": 0, "not_found": 0}
    answerable: list[dict[str, Any]] = []
    results: dict[str, list[str]] = {}  # case id -> its search results' article ids, in order
    for i, week in enumerate(chosen):
        for q in week.questions:
            counts["questions_in_chosen_weeks"] += 1
            found = [r.get("url") for r in week.results.get(q["question_id"], [])]
            results[case_id(q)] = list(
                dict.fromkeys(articles[u]["id"] for u in found if u in articles)
            )
            if CHOICE_WORDING.search(q["question_sentence"]):
                counts["dropped_choice_wording"] += 1
                continue
            answer, key = answer_of(q), answer_key(answer_of(q))
            own = dict.fromkeys(r.get("url") for r in week.results.get(q["question_id"], []))
            sources = [articles[u]["id"] for u in own if u in articles and occurs(key, norm[u])]
            if not answer or not sources:
                counts["not_found"] += 1
                continue
            answerable.append(_case(q, week.date, split_of(i), True, answer, sources))
    unanswerable, other = _unanswerable(weeks, chosen, norm, len(answerable))
    counts.update(other)
    published = {a["id"]: a["published"] for a in articles.values()}
    stale = [c for c in answerable if not answered_in_window(c, published)]
    for case in stale:
        older = ", ".join(case["sources"])
        case.update(category="refuse-rtqa-stale", answerable=False, expected=[], sources=[])
        del case["short"]
        case["notes"] += f"; answer only in articles older than the moment asked about: {older}"
    answerable = [c for c in answerable if c["answerable"]]
    counts["stale"] = len(stale)
    return {
        "articles": articles,
        "answerable": answerable,
        "unanswerable": stale + unanswerable,
        "results": results,
        **counts,
    }


def answered_in_window(case: dict[str, Any], published: dict[str, str]) -> bool:
    """Whether a source of ``case`` was published in the moment its question asks about (the
    window the product answers it from), or the question names no such moment."""
    from datetime import date

    from assistant.question_time import news_since, question_time

    asked = date.fromisoformat(case["as_of"])
    since = news_since(case["question"], question_time(case["question"], asked))
    if since is None:
        return True
    days = [published.get(s, "") for s in case["sources"]]
    return any(d and since <= date.fromisoformat(d) <= asked for d in days)


def _case(
    q: dict[str, Any], week: str, split: str, answerable: bool, answer: str, sources: list[str]
) -> dict[str, Any]:
    return {
        "id": case_id(q),
        "split": split,
        "category": "rtqa" if answerable else "refuse-rtqa",
        "question": _SPACE.sub(" ", q["question_sentence"]).strip(),
        "answerable": answerable,
        "expected": [[answer]] if answerable else [],
        **({"short": [answer]} if answerable else {}),
        "sources": sources,
        # The quiz was written in that week: ask as the archive stood then ("this week" = it).
        "as_of": f"{week[:4]}-{week[4:6]}-{week[6:]}",
        "notes": _notes(week, q),
    }


def _unanswerable(
    weeks: list[Week], chosen: list[Week], norm: dict[str, str], n_answerable: int
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Questions of the weeks not indexed whose answer occurs in no indexed article."""
    taken = {w.date for w in chosen}
    others = [w for w in weeks if w.date not in taken]
    corpus = "\n\u0000\n".join(norm.values())
    pool: list[tuple[str, dict[str, Any]]] = []
    found_in_corpus = dropped = 0
    for i, week in enumerate(others):
        for q in week.questions:
            if CHOICE_WORDING.search(q["question_sentence"]):
                dropped += 1
                continue
            answer = answer_of(q)
            if not answer_key(answer) or occurs(answer_key(answer), corpus):
                found_in_corpus += 1
                continue
            pool.append((split_of(i), q | {"_week": week.date}))
    want = round(n_answerable * UNANSWERABLE_SHARE)
    # A stable, spread-out choice: order by a hash of the question id.
    pool.sort(key=lambda sq: hashlib.sha1(str(sq[1]["question_id"]).encode()).hexdigest())
    cases = [_case(q, q["_week"], split, False, "", []) for split, q in pool[:want]]
    cases.sort(key=lambda c: c["id"])
    counts = {
        "other_weeks": len(others),
        "other_weeks_dropped_choice_wording": dropped,
        "other_weeks_answer_in_corpus": found_in_corpus,
        "unanswerable_pool": len(pool),
    }
    return cases, counts


def published_of(result: dict[str, Any]) -> str:
    """The search result's ``publish_date`` ("2024/01/23") as YYYY-MM-DD, or "" if it has none."""
    found = re.match(r"^\s*(\d{4})[/-](\d{2})[/-](\d{2})", str(result.get("publish_date") or ""))
    return "-".join(found.groups()) if found else ""


def authors_of(result: dict[str, Any]) -> str:
    """The search result's ``authors`` (a list, or a list written as a string), comma-joined."""
    raw = result.get("authors") or []
    if isinstance(raw, str):
        try:
            raw = ast.literal_eval(raw) if raw.strip().startswith("[") else [raw]
        except (ValueError, SyntaxError):
            raw = [raw]
    names = [_SPACE.sub(" ", str(a)).strip() for a in raw if str(a).strip()]
    return ", ".join(dict.fromkeys(names))


def _front_matter(a: dict[str, str], url: str) -> str:
    # JSON strings are valid YAML scalars, so titles with colons or quotes stay safe. Only what
    # the data gives: no outlet (the data names none), no date or author where it has none.
    lines = [f"title: {json.dumps(a['title'], ensure_ascii=False)}", f"url: {json.dumps(url)}"]
    lines += [
        f"{k}: {json.dumps(a[k], ensure_ascii=False)}" for k in ("published", "author") if a.get(k)
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def write(
    out: Path, data: dict[str, Any], chosen: list[Week], all_weeks: int, split: str | None = None
) -> dict[str, Any]:
    folder = out / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {a["id"] for a in data["articles"].values()}
    for stale in folder.glob("*.md"):
        if stale.stem not in wanted:
            stale.unlink()
    for url, a in data["articles"].items():
        path = folder / f"{a['id']}.md"
        content = _front_matter(a, url) + a["text"].rstrip() + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
    cases = data["answerable"] + data["unanswerable"]
    write_testset(out / "testset.yaml", cases, [w.date for w in chosen])
    with (out / RESULTS_FILE).open("w", encoding="utf-8") as f:
        for cid, ids in data["results"].items():
            f.write(json.dumps({"id": cid, "results": ids}) + "\n")
    manifest = manifest_of(data, chosen, all_weeks, split)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def write_testset(path: Path, cases: list[dict[str, Any]], weeks: Iterable[str]) -> None:
    import yaml

    head = (
        "# RealTime QA 2024-2025 (realtimeqa/realtimeqa_public, Kasai et al. 2022), prepared by\n"
        f"# bench/realtimeqa.py. Indexed weeks: {', '.join(weeks)}.\n"
    )
    body = yaml.safe_dump({"cases": cases}, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(head + body, encoding="utf-8")


def manifest_of(
    data: dict[str, Any], chosen: list[Week], all_weeks: int, split: str | None = None
) -> dict[str, Any]:
    def per_split(cases: list[dict[str, Any]]) -> dict[str, int]:
        return {s: sum(c["split"] == s for c in cases) for s in ("tune", "heldout")}

    keys = (
        "questions_in_chosen_weeks",
        "dropped_choice_wording",
        "not_found",
        "other_weeks",
        "other_weeks_dropped_choice_wording",
        "other_weeks_answer_in_corpus",
        "unanswerable_pool",
        "stale",
    )
    return {
        "source": "realtimeqa/realtimeqa_public, past/2024 and past/2025 only",
        "weeks_available": all_weeks,
        "weeks_indexed": [w.date for w in chosen],
        "weeks_split": {w.date: split or split_of(i) for i, w in enumerate(chosen)},
        "articles": len(data["articles"]),
        "article_chars_mean": round(
            sum(len(a["text"]) for a in data["articles"].values()) / max(1, len(data["articles"]))
        ),
        "answerable": len(data["answerable"]),
        "answerable_per_split": per_split(data["answerable"]),
        "unanswerable": len(data["unanswerable"]),
        "unanswerable_per_split": per_split(data["unanswerable"]),
        **{k: data[k] for k in keys},
    }


def weeks_used(prepared: Path) -> set[str]:
    """The weeks a prepared corpus indexes or draws unanswerable questions from (YYYYMMDD)."""
    import yaml

    manifest = json.loads((prepared / "manifest.json").read_text(encoding="utf-8"))
    cases = yaml.safe_load((prepared / "testset.yaml").read_text(encoding="utf-8"))["cases"]
    return set(manifest["weeks_indexed"]) | {str(c["as_of"]).replace("-", "") for c in cases}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="write articles, testset.yaml and manifest.json")
    prep.add_argument("--git-dir", type=Path, required=True, help="bare git copy of the repo")
    prep.add_argument("--rev", default="HEAD")
    prep.add_argument("--out", type=Path, required=True)
    cut = sub.add_parser("slice", help="a small slice of a prepared corpus, for CI")
    cut.add_argument("--data", type=Path, required=True, help="the prepare --out folder")
    cut.add_argument("--out", type=Path, required=True)
    cut.add_argument("--max-articles", type=int, default=SLICE_ARTICLES)
    prep.add_argument(
        "--avoid",
        type=Path,
        action="append",
        default=[],
        help="a prepared corpus whose weeks to leave out (repeatable)",
    )
    prep.add_argument("--split", choices=("tune", "heldout"), help="put every case in this split")
    prep.add_argument("--min-articles", type=int, default=MIN_ARTICLES)
    prep.add_argument("--max-articles", type=int, default=MAX_ARTICLES)
    args = parser.parse_args(argv)
    if args.command == "slice":
        from bench.realtimeqa_slice import make_slice

        print(json.dumps(make_slice(args.data, args.out, args.max_articles), indent=2))
        return
    repo = Repo(args.git_dir, args.rev)
    weeks = load_weeks(repo)
    for avoided in args.avoid:
        used = weeks_used(avoided)
        weeks = [w for w in weeks if w.date not in used]
    chosen = choose_weeks(weeks, args.min_articles, args.max_articles)
    data = build(weeks, chosen)
    if args.split:
        for case in data["answerable"] + data["unanswerable"]:
            case["split"] = args.split
    manifest = write(args.out, data, chosen, len(weeks), args.split)
    print(json.dumps({k: v for k, v in manifest.items() if k != "weeks_split"}, indent=2))


if __name__ == "__main__":
    main()
