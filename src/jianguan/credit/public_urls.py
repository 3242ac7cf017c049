"""/public/credit/: 信用信息查询 — no login, rate limited, read-only."""

app_name = "credit_public"

urlpatterns: list = []
