"""Serve the newsroom assistant: ``python app.py [--host H] [--port P]``.

Indexes the articles if needed, then serves the chat (/), the embed (/embed) and the API
(/api/v1, docs at /docs) on one port. Everything else comes from ASSISTANT_* settings.
"""

from __future__ import annotations

import argparse
import sys

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.web.server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--host", help="address to listen on (default: ASSISTANT_HOST or 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, help="port to listen on (default: ASSISTANT_PORT or 7860)"
    )
    args = parser.parse_args(argv)
    try:
        serve(Settings(), host=args.host, port=args.port)
    except AssistantError as exc:  # a message for a person: no traceback
        sys.exit(f"error: {exc.message}")


if __name__ == "__main__":
    main()
