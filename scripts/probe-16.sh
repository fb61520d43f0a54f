#!/usr/bin/env bash
# Probes of issue #16 against gunicorn in production mode: bash scripts/probe-16.sh
# (needs Redis on 127.0.0.1:6379, database 6, or PROBE_REDIS_URL).
set -u
export DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECRET_KEY="probe-$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)-long-enough-key" \
  DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 SCO_PLAIN_STATIC=1 SCO_API_ANON_RATE=3/minute \
  DATABASE_URL=sqlite:////tmp/h16-probe.sqlite3 SCO_CACHE_PREFIX=h16probe
# Redis database 6: the throttle and the lockout shared by both workers. Without REDIS_URL the
# lockout still is (database handler), but DRF's throttle counts per process.
export REDIS_URL=${PROBE_REDIS_URL:-redis://127.0.0.1:6379/6}
forget() { redis-cli -u "$REDIS_URL" --scan --pattern 'h16probe:*' | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null; }
forget
rm -f /tmp/h16-probe.sqlite3*
.venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py load_seed -v0 >/dev/null
.venv/bin/python manage.py shell -c "from django.contrib.auth.models import User; User.objects.create_user('chief', password='right-pass-123', is_staff=True)"
.venv/bin/gunicorn sco_archive.wsgi -b 127.0.0.1:18717 -w 2 --access-logfile /dev/null 2>/tmp/h16-probe-gu.log & GU=$!
until curl -fs -o /dev/null http://127.0.0.1:18717/robots.txt; do sleep 0.2; done
U=http://127.0.0.1:18717
echo "== 1. forged Host"
for p in / /api/v1/events/ /admin/login/; do curl -s -o /dev/null -w "$p %{http_code}\n" -H 'Host: evil.example' $U$p; done
echo "== 2. /api/docs/ (no inline script; CSP script-src)"
curl -s $U/api/docs/ | grep -o '<script[^>]*>' ; curl -sI $U/api/docs/ | grep -i '^content-security-policy' | grep -o "script-src[^;]*"
echo "== 3. feed summaries"
curl -s $U/feeds/events/ | grep -o '<summary type="[a-z]*"' | sort | uniq -c; echo "$(curl -s $U/feeds/events/ | grep -o '<author>' | wc -l) atom:author (feed + each entry)"
echo "== 4. login lockout: 10 wrong, then the right password"
login() { jar=$(mktemp); tok=$(curl -s -c $jar $U/admin/login/ | grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' | cut -d'"' -f4);
  curl -s -b $jar -o /tmp/h16-login.html -w "%{http_code}" -H "X-Forwarded-For: 203.0.113.$RANDOM" --data-urlencode "csrfmiddlewaretoken=$tok" --data-urlencode "username=$1" --data-urlencode "password=$2" --data "next=/admin/" "$U/admin/login/?next=/admin/"; rm -f $jar; }
for n in $(seq 10); do printf "%s " $(login chief wrong-$n); done; echo
echo "right password: $(login chief right-pass-123) $(grep -o 'Too many failed sign-ins' /tmp/h16-login.html)"
echo "== 6. CSV cells starting with a formula character"
curl -s $U/api/v1/export/claims.csv | .venv/bin/python -c "import csv,sys; print(sum(1 for r in csv.reader(sys.stdin) for c in r if c[:1] in ('=','+','-','@','\t','\r')), 'cells')"
echo "== 8. headers"
curl -sI -H 'Origin: https://x.example' $U/api/v1/series/ | grep -i '^permissions-policy\|^access-control-expose'
forget
curl -s -o /dev/null -w "claims ?ordering=unknown %{http_code}\n" "$U/api/v1/claims/?ordering=unknown"
forget  # the throttle counts from here
echo "== 5. spoofed X-Forwarded-For vs the throttle (3/minute)"
for n in 1 2 3 4 5; do printf "%s " $(curl -s -o /dev/null -w "%{http_code}" -H "X-Forwarded-For: 198.51.100.$n" "$U/api/v1/series/?n=$n"); done; echo
kill $GU; wait $GU 2>/dev/null
echo "== 7. database down (PostgreSQL on a closed port)"
REDIS_URL= SCO_API_ANON_RATE= DATABASE_URL=postgres://postgres@127.0.0.1:1/none .venv/bin/gunicorn sco_archive.wsgi -b 127.0.0.1:18718 -w 1 --access-logfile /dev/null 2>/dev/null & GU=$!
until curl -s -o /dev/null http://127.0.0.1:18718/robots.txt; do sleep 0.2; done
curl -s -D - -o /tmp/h16-503.html http://127.0.0.1:18718/events/ | grep -i '^HTTP\|^retry-after\|^content-type'; grep -o '<h1>[^<]*' /tmp/h16-503.html
curl -s -D - http://127.0.0.1:18718/api/v1/events/ | grep -i '^HTTP\|^retry-after\|^content-type\|detail'; echo
kill $GU; wait $GU 2>/dev/null
