"""Ask the running app through its Gradio API with ``gradio_client``.

    python examples/client_gradio.py "How many soldiers defected to the KNU?"
    python examples/client_gradio.py --url http://127.0.0.1:7860/ "Who is Thet Naing Oo?"

The chat's function is published as ``/ask``. It takes the question and the conversation so far
(a list; pass back the one it returned to ask a follow-up) and returns the question box, the
chat, the sources panel and the new conversation, whose last entry is the answer.
"""

from __future__ import annotations

import argparse

from gradio_client import Client


def ask(url: str, question: str, conversation: list | None = None) -> list:
    """The conversation after asking ``question``; its last entry holds the answer."""
    client = Client(url, verbose=False)
    *_, conversation = client.predict(question, conversation or [], api_name="/ask")
    return conversation


def main() -> None:
    parser = argparse.ArgumentParser(description="Ask the newsroom assistant a question.")
    parser.add_argument("question")
    parser.add_argument("--url", default="http://127.0.0.1:7860/", help="where the app runs")
    args = parser.parse_args()
    exchange = ask(args.url, args.question)[-1]
    if exchange["error"]:
        raise SystemExit(f"refused: {exchange['error']}")
    print(exchange["answer"])
    for c in exchange["citations"]:
        mark = "verified" if c["verified"] else "NOT verified"
        print(f"[{c['n']}] {c['title'] or c['article_id']} ({mark}): “{c['quote']}”")


if __name__ == "__main__":
    main()
