#!/usr/bin/env bash
# Ask the JSON API a question with curl.
#
#   examples/ask.sh "How many soldiers defected to the KNU?"           # the JSON answer
#   STREAM=1 examples/ask.sh "Who is Thet Naing Oo?"                   # server-sent events
#   APP_URL=https://assistant.example.org ASSISTANT_API_KEY=... examples/ask.sh "..."
#
# The answer is the JSON contract: answer (with [n] markers), citations (quote, offsets,
# verified), passages, nearest (after an abstention), engine, timings_ms.
set -euo pipefail

APP_URL="${APP_URL:-http://127.0.0.1:7860}"
QUESTION="${1:-How many soldiers defected to the KNU?}"

# JSON-encode the question (quotes, backslashes, newlines) without needing jq.
BODY=$(python3 -c 'import json, sys; print(json.dumps({"question": sys.argv[1]}))' "$QUESTION")

HEADERS=(-H "Content-Type: application/json")
if [[ -n "${ASSISTANT_API_KEY:-}" ]]; then
  HEADERS+=(-H "Authorization: Bearer ${ASSISTANT_API_KEY}")
fi

if [[ -n "${STREAM:-}" ]]; then
  curl --silent --show-error --fail-with-body --no-buffer "${HEADERS[@]}" \
    --data "$BODY" "${APP_URL%/}/api/v1/ask/stream"
else
  curl --silent --show-error --fail-with-body "${HEADERS[@]}" \
    --data "$BODY" "${APP_URL%/}/api/v1/ask"
  echo
fi
