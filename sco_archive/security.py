"""Security pieces of the web tier (issue #16): client addresses, login lockout, headers.

- ``client_ip``: the address the request came from, trusting exactly
  ``DJANGO_NUM_PROXIES`` proxies in front of the archive (default 0: ``REMOTE_ADDR``,
  whatever ``X-Forwarded-For`` says). The API throttle and the login lockout both key on
  it, as DRF's own ``NUM_PROXIES`` logic does.
- ``LoginLockoutBackend``: django-axes' standalone backend (refuses any login while the
  account or the client is locked out, even with the right password). Calls of
  ``authenticate()`` without a request — Django's test client, a shell — are not web
  logins and are not counted or refused; every login form passes its request.
- ``PermissionsPolicyMiddleware``: a ``Permissions-Policy`` header on every response.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings

# Features the archive never uses, denied to it and to anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the entry of X-Forwarded-For that the
    outermost of ``DJANGO_NUM_PROXIES`` trusted proxies saw (DRF's rule)."""
    remote_addr = request.META.get("REMOTE_ADDR")
    num_proxies = getattr(settings, "SCO_NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not num_proxies or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(num_proxies, len(addresses))]


class LoginLockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for web logins (see the module docstring)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
