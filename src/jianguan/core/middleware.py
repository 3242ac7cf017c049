from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

# The API authenticates its own callers (session or token) and answers 401 in JSON; the public
# portal needs no login at all. Everything else requires a signed-in user.
OPEN_PREFIXES = ("/api/", "/public/", "/static/")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
