"""Fixtures of the deploy tests (tests/deploy/servers.py)."""

from tests.deploy.servers import archive  # noqa: F401
