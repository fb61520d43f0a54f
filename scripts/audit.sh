#!/usr/bin/env bash
# `make audit`: the long schemathesis probe of issue #16 against gunicorn in production
# mode (DJANGO_DEBUG=0) on a throwaway SQLite copy of the seed archive: every check,
# AUDIT_EXAMPLES (300) examples per operation, coverage, fuzzing and stateful phases.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
work=$(mktemp -d)
port=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DJANGO_SETTINGS_MODULE=sco_archive.settings DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 \
  DJANGO_SECRET_KEY="audit-$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')-audit-key-long-enough" \
  DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 SCO_PLAIN_STATIC=1 \
  DATABASE_URL="sqlite:///$work/audit.sqlite3"
unset REDIS_URL
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py load_seed -v0
$BIN/python manage.py spectacular --format openapi-json --file "$work/schema.json"
$BIN/gunicorn sco_archive.wsgi --bind "127.0.0.1:$port" --workers 2 --access-logfile /dev/null \
  >"$work/gunicorn.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/robots.txt" && break
  sleep 0.1
done
$BIN/st run "$work/schema.json" --url "http://127.0.0.1:$port" --checks all \
  --max-examples "${AUDIT_EXAMPLES:-300}" --seed "${AUDIT_SEED:-16}" --no-color

# Lighthouse (npm, run with Debian's chromium): accessibility and SEO must be 100 on the
# reader pages of issue #19. Fetched by npx into npm's cache on first use.
chrome_flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
lighthouse_failed=0
for page in / /events/sco-defence-ministers-meeting-astana/ \
    /sources/sco-defense-ministers-convene-in-astana/ /map/ /participation/; do
  CHROME_PATH=/usr/bin/chromium npx --yes lighthouse@12 "http://127.0.0.1:$port$page" \
    --only-categories=accessibility,seo --output=json --output-path="$work/lh.json" --quiet \
    --chrome-flags="$chrome_flags" >/dev/null 2>&1
  $BIN/python - "$work/lh.json" "$page" <<'PY' || lighthouse_failed=1
import json, sys
scores = {k: round(v["score"] * 100) for k, v in json.load(open(sys.argv[1]))["categories"].items()}
print(f"lighthouse {sys.argv[2]}: {scores}")
sys.exit(0 if all(score == 100 for score in scores.values()) else 1)
PY
done
exit "$lighthouse_failed"
