"""接口令牌 page: issue (raw token shown once), list, revoke."""

import pytest

from jianguan.org.auth import api_token_issue
from jianguan.org.models import ApiToken

pytestmark = pytest.mark.django_db


def test_user_issues_token_and_sees_it_once(client, org):
    client.force_login(org.users.east)
    resp = client.post("/org/tokens/", {"name": "网格化平台"})
    assert resp.status_code == 200
    token = ApiToken.objects.get(user=org.users.east)
    raw = resp.context["issued"]["raw"]
    page = resp.content.decode()
    assert raw in page and "仅在签发时显示一次" in page
    assert token.digest == ApiToken.digest_of(raw) and raw not in token.digest
    again = client.get("/org/tokens/").content.decode()
    assert raw not in again and "网格化平台" in again and token.prefix in again
    assert client.get("/api/v1/businesses/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_token_name_is_required(client, org):
    client.force_login(org.users.east)
    resp = client.post("/org/tokens/", {"name": ""})
    assert resp.status_code == 200 and not ApiToken.objects.exists()


def test_user_sees_and_revokes_only_own_tokens(client, org):
    mine, _ = api_token_issue(actor=org.users.east, user=org.users.east, name="我的令牌")
    theirs, _ = api_token_issue(actor=org.users.west, user=org.users.west, name="西关的令牌")
    client.force_login(org.users.east)
    page = client.get("/org/tokens/").content.decode()
    assert "我的令牌" in page and "西关的令牌" not in page
    assert client.post(f"/org/tokens/{theirs.pk}/revoke/").status_code == 404
    resp = client.post(f"/org/tokens/{mine.pk}/revoke/", follow=True)
    assert "已吊销" in resp.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_revoke_needs_post(client, org):
    token, _ = api_token_issue(actor=org.users.east, user=org.users.east, name="我的令牌")
    client.force_login(org.users.east)
    assert client.get(f"/org/tokens/{token.pk}/revoke/").status_code == 405


def test_admin_sees_everyone_and_issues_for_another_user(client, org):
    api_token_issue(actor=org.users.east, user=org.users.east, name="东关令牌")
    client.force_login(org.users.admin)
    page = client.get("/org/tokens/").content.decode()
    assert "东关令牌" in page and "全部令牌" in page
    resp = client.post("/org/tokens/", {"name": "12345 热线", "user": org.users.west.pk})
    assert resp.status_code == 200
    assert ApiToken.objects.get(name="12345 热线").user == org.users.west


def test_non_admin_cannot_issue_for_another_user(client, org):
    client.force_login(org.users.east)
    client.post("/org/tokens/", {"name": "冒名", "user": org.users.west.pk})
    assert ApiToken.objects.get(name="冒名").user == org.users.east
