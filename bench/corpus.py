"""A deterministic scale corpus: N news-like articles as .md files with YAML front matter.

``python -m bench.corpus --n 1000 --out /tmp/corpus-1k --seed 7``

Every article is drawn from its own seeded generator (seed and number), so the first 1,000
articles of a 10,000-article corpus are the 1,000-article corpus. Sentences come from templates
filled with topic words and generated people, places, organisations and numbers, so the
vocabulary grows with the corpus the way a real one does. The facts each article states, with a
question for each, go to ``.facts.jsonl`` in the same folder (hidden, so the indexer skips it).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench import words

FACTS_FILE = ".facts.jsonl"


@dataclass
class GeneratedArticle:
    id: str
    title: str
    outlet: str
    published: str
    paragraphs: list[str]
    facts: list[dict[str, str]] = field(default_factory=list)

    def markdown(self) -> str:
        # JSON strings are valid YAML scalars, so titles with colons or quotes stay safe.
        head = f"title: {json.dumps(self.title)}\noutlet: {json.dumps(self.outlet)}\n"
        head += f"published: {self.published}\n"
        return f"---\n{head}---\n\n" + "\n\n".join(self.paragraphs) + "\n"


def _word(rng: random.Random, syllables: int) -> str:
    parts = [rng.choice(words.ONSETS) + rng.choice(words.NUCLEI) for _ in range(syllables)]
    return ("".join(parts) + rng.choice(words.CODAS)).capitalize()


def _number(rng: random.Random) -> str:
    n = rng.choice([rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 99999)])
    return f"{n:,}" if rng.random() < 0.7 else str(n)


def _money(rng: random.Random) -> str:
    currency = rng.choice(["$", "€", "£"])
    if rng.random() < 0.5:
        return f"{currency}{rng.randint(2, 950)}.{rng.randint(1, 9)} million"
    return f"{currency}{rng.randint(10, 999) * 1000:,}"


class _Cast:
    """The people, places and organisations one article talks about."""

    def __init__(self, rng: random.Random, topic: str) -> None:
        self.rng = rng
        self.nouns, self.verbs, self.adjs, self.subjects = words.TOPICS[topic]
        self.people = [
            f"{rng.choice(words.GIVEN)} {_word(rng, rng.randint(2, 3))}"
            for _ in range(rng.randint(3, 6))
        ]
        self.places = [
            rng.choice(words.PLACE_PREFIXES) + _word(rng, 2) + rng.choice(words.PLACE_SUFFIXES)
            for _ in range(rng.randint(2, 4))
        ]
        self.orgs = [
            rng.choice(words.ORG_KINDS).format(_word(rng, rng.randint(2, 3)))
            for _ in range(rng.randint(2, 3))
        ]
        self.roles = rng.sample(words.ROLES, len(self.people))

    def slots(self) -> dict[str, str]:
        rng = self.rng
        who = rng.randrange(len(self.people))
        orgs = rng.sample(self.orgs, 2)
        places = rng.sample(self.places, 2)
        subjects = rng.sample(self.subjects, 2)
        year = rng.randint(1995, 2023)
        return {
            "person": self.people[who],
            "role": self.roles[who],
            "other": rng.choice(self.people),
            "org": orgs[0],
            "org2": orgs[1],
            "place": places[0],
            "place2": places[1],
            "n": _number(rng),
            "noun": rng.choice(self.nouns),
            "verb": rng.choice(self.verbs),
            "adj": rng.choice(self.adjs),
            "subject": subjects[0],
            "subject2": subjects[1].removeprefix("the "),
            "day": rng.choice(words.DAYS),
            "month": rng.choice(words.MONTHS),
            "pct": str(rng.randint(3, 97)),
            "money": _money(rng),
            "year": str(year),
            "year2": str(rng.randint(year, 2024)),
            "days": str(rng.randint(2, 60)),
            "years": str(rng.randint(2, 15)),
        }


def _capitalise(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:] if sentence[:1].islower() else sentence


def generate_article(seed: int, number: int) -> GeneratedArticle:
    """Article ``number`` of the corpus for ``seed``; independent of the corpus size."""
    rng = random.Random(f"{seed}:{number}")
    topic = rng.choice(sorted(words.TOPICS))
    cast = _Cast(rng, topic)
    target_words = rng.randint(300, 1200)
    sentences: list[str] = []
    count = 0
    while count < target_words:
        sentence = _capitalise(rng.choice(words.TEMPLATES).format(**cast.slots()))
        sentences.append(sentence)
        count += len(sentence.split())

    facts = []
    for template, question, answer_slot in words.FACTS:
        slots = cast.slots()
        sentence = _capitalise(template.format(**slots))
        sentences.insert(rng.randrange(len(sentences) + 1), sentence)
        facts.append(
            {
                "question": _capitalise(question.format(**slots)),
                "answer": slots[answer_slot],
                "sentence": sentence,
            }
        )

    paragraphs: list[str] = []
    while sentences:
        take = rng.randint(2, 5)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    first = cast.slots()
    title = rng.choice(
        [
            f"{first['adj'].capitalize()} {first['subject2']} in {first['place']}",
            f"{first['place']}: {first['n']} {first['noun']} {first['verb']}",
            f"{first['person']} defends {first['subject2']} as {first['org']} faces questions",
        ]
    )
    published = date(2018, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    article_id = f"a{number:05d}"
    for fact in facts:
        fact["article_id"] = article_id
    return GeneratedArticle(
        article_id, title, rng.choice(words.OUTLETS), published.isoformat(), paragraphs, facts
    )


def write_corpus(out: Path, n: int, seed: int) -> int:
    """Write ``n`` articles (and their facts) into ``out``; returns the number of words."""
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    with (out / FACTS_FILE).open("w", encoding="utf-8") as facts:
        for number in range(n):
            article = generate_article(seed, number)
            (out / f"{article.id}.md").write_text(article.markdown(), encoding="utf-8")
            total += sum(len(p.split()) for p in article.paragraphs)
            for fact in article.facts:
                facts.write(json.dumps(fact) + "\n")
    return total


def ensure_corpus(out: Path, n: int, seed: int) -> Path:
    """The corpus folder, generated unless it already holds ``n`` articles."""
    if not (out / FACTS_FILE).exists() or len(list(out.glob("*.md"))) != n:
        write_corpus(out, n, seed)
    return out


def load_facts(folder: Path) -> list[dict[str, str]]:
    path = folder / FACTS_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    total = write_corpus(args.out, args.n, args.seed)
    print(f"wrote {args.n:,} articles ({total:,} words) to {args.out}")


if __name__ == "__main__":
    main()
