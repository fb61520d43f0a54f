"""deploy/nginx.conf in front of gunicorn: anonymous reads come from nginx's micro-cache,
editors and the admin never do, and an unpublish shows within the stated bound.

Skipped where nginx is not installed (`make test-deps` installs Debian's package as root).
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from deploy.local import NGINX, command, configured
from tests.deploy.servers import ROOT, SLUG, TITLE, Gunicorn, free_port, get, wait_until

BOUND = 2.0  # seconds: s-maxage (1) + stale-while-revalidate (1), deploy/nginx.conf
SLACK = 1.5  # scheduling on a loaded test machine (the bound is what the headers allow)

pytestmark = pytest.mark.skipif(not NGINX, reason="nginx is not installed (apt-get install nginx)")


@pytest.fixture(scope="module")
def nginx(archive):
    app = Gunicorn(archive, workers=2)
    directory = Path(tempfile.mkdtemp(prefix="sco-nginx-"))
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(configured((ROOT / "deploy/nginx.conf").read_text(), directory, port, app.port))
    subprocess.run([NGINX, "-t", "-q", "-c", str(conf)], check=True, timeout=30)
    process = subprocess.Popen(command(conf))
    url = f"http://127.0.0.1:{port}"

    def up():
        try:
            return get(url + "/robots.txt")[0] == 200
        except OSError:
            return False

    wait_until(up, 30, "nginx did not start")
    yield url
    process.terminate()
    process.wait(10)
    app.stop()
    shutil.rmtree(directory, ignore_errors=True)


def cache_status(url, headers=None):
    return get(url, headers)[1].get("X-Cache-Status")


def test_anonymous_reads_come_from_nginx(nginx):
    wait_until(lambda: cache_status(nginx + "/events/") == "HIT", 10, "/events/ never a HIT")
    wait_until(lambda: cache_status(nginx + "/api/v1/events/") == "HIT", 10, "API never a HIT")


def test_editors_and_the_admin_are_never_cached(nginx):
    for _ in range(3):
        assert cache_status(nginx + "/events/", {"Cookie": "sessionid=abc"}) == "BYPASS"
        assert cache_status(nginx + "/events/", {"Authorization": "Token x"}) == "BYPASS"
        status, headers, _ = get(nginx + "/admin/login/")
        assert status == 200 and headers.get("X-Cache-Status") is None


def test_an_unpublish_shows_through_nginx_within_the_bound(nginx, archive):
    page = f"{nginx}/events/{SLUG}/"
    wait_until(lambda: cache_status(page) == "HIT", 10, "the event page is never a HIT")
    archive.shell(
        "from events.models import Event; "
        f"e = Event.objects.get(slug={SLUG!r}); e.status = 'draft'; e.save()"
    )
    # The write has committed: within the bound, the page is gone and so is its list entry.
    wait_until(lambda: get(page)[0] == 404, BOUND + SLACK, "still served after the bound")
    gone = lambda: TITLE not in get(nginx + "/events/")[2]  # noqa: E731
    wait_until(gone, BOUND + SLACK, "still listed after the bound")
    archive.set_status("published")
    wait_until(lambda: TITLE in get(page)[2], BOUND + SLACK, "not back within the bound")
