"""deploy/nginx.conf run locally: temporary paths, loopback ports, no root needed.

The deploy tests (tests/deploy/) and the benchmark's "through nginx" column
(bench/run.py) both run the recipe as it is, with only its paths and ports swapped, so
what they measure is what deploy/README.md tells an operator to install.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def configured(text, directory, port, upstream):
    """deploy/nginx.conf (``text``) with its pid, logs, cache and temporary files under
    ``directory``, listening on 127.0.0.1:``port`` in front of 127.0.0.1:``upstream``."""
    swaps = {
        "pid /run/nginx-sco-archive.pid;": f"pid {directory}/nginx.pid;",
        "/var/log/nginx/sco-archive-error.log": f"{directory}/error.log",
        "/var/log/nginx/sco-archive-access.log": f"{directory}/access.log",
        "/var/cache/nginx/sco-archive": f"{directory}/cache",
        "/srv/sco-archive/staticfiles/": f"{ROOT}/static/",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen 127.0.0.1:{port};",
        "http {": "http {\n"
        + "".join(
            f"    {kind}_temp_path {directory}/{kind}-temp;\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ),
    }
    for old, new in swaps.items():
        if old not in text:
            raise ValueError(f"deploy/nginx.conf no longer has {old!r}")
        text = text.replace(old, new)
    if os.geteuid() == 0:  # workers run as this user, so they can use the temporary paths
        text = "user root;\n" + text
    return text


def command(conf):
    """nginx in the foreground (a child the caller stops) with config file ``conf``."""
    return [NGINX, "-c", str(conf), "-g", "daemon off;"]
