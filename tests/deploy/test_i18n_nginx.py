"""deploy/nginx.conf and gunicorn workers never serve one language's page for another
(issue #18): each URL means one language, so nginx's key and the app's shared cache
need nothing per language; `/` alone follows Accept-Language, with a redirect nginx
never stores.
"""

import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from deploy.local import NGINX, command, configured
from tests.deploy.servers import (
    REDIS_URL,
    ROOT,
    Gunicorn,
    free_port,
    get,
    redis_up,
    wait_until,
)

PREFIX = {"en": "", "ru": "/ru", "zh-hans": "/zh-hans"}


def html_lang(content):
    return re.search(r'<html lang="([^"]+)">', content).group(1)


# The deploy tests' Redis, in a database of its own.
REDIS_12 = REDIS_URL.rsplit("/", 1)[0] + "/12"


@pytest.fixture(scope="module")
def behind_nginx(archive):
    """deploy/nginx.conf in front of two gunicorn workers (sharing Redis when it is up)."""
    if not NGINX:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    app = Gunicorn(archive, workers=2, redis_url=REDIS_12 if redis_up() else "")
    directory = Path(tempfile.mkdtemp(prefix="sco-i18n-nginx-"))
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(configured((ROOT / "deploy/nginx.conf").read_text(), directory, port, app.port))
    process = subprocess.Popen(command(conf))
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: _up(url), 30, "nginx did not start")
    yield url
    process.terminate()
    process.wait(10)
    app.stop()
    shutil.rmtree(directory, ignore_errors=True)


def _up(url):
    try:
        return get(url + "/robots.txt")[0] == 200
    except OSError:
        return False


def test_nginx_and_the_workers_never_serve_one_language_for_another(behind_nginx):
    headers = ["", "ru-RU,ru;q=0.9", "zh-CN,zh;q=0.9", "en-GB,en;q=0.8"]
    seen = set()
    for _ in range(3):  # later rounds come from nginx's cache and the shared app cache
        for language, prefix in PREFIX.items():
            for header in headers:
                status, answer, body = get(f"{behind_nginx}{prefix}/events/",
                                           {"Accept-Language": header})  # fmt: skip
                assert status == 200 and html_lang(body) == language, (prefix, header)
                assert "Accept-Language" not in (answer.get("Vary") or "")
                seen.add(answer.get("X-Cache-Status"))
            status, answer, body = get(f"{behind_nginx}{prefix}/", {"Accept-Language": "ru"})
            if prefix:  # /ru/ and /zh-hans/ are their own language
                assert status == 200 and html_lang(body) == language
    assert "HIT" in seen
    # `/` follows the browser's language — a redirect nginx never stores — and varies on it.
    for _ in range(2):
        request = urllib.request.Request(behind_nginx + "/", headers={"Accept-Language": "ru"})
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect).open(request, timeout=10)
        assert redirect.value.code == 302 and redirect.value.headers["Location"] == "/ru/"
        assert "Accept-Language" in redirect.value.headers["Vary"]
        assert redirect.value.headers.get("X-Cache-Status") != "HIT"
        status, answer, body = get(behind_nginx + "/", {"Accept-Language": "en"})
        assert status == 200 and html_lang(body) == "en" and "Accept-Language" in answer["Vary"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
