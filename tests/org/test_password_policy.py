"""Password policy (at least 10 characters, not like the username, not a common password) wherever a
password is set: the administrator creating a user, the administrator resetting one, a user changing their own."""

import pytest

from jianguan.org.models import User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "Qiche-Lun7-Gang"


def add_user(client, username, password):
    return client.post(
        "/admin/org/user/add/",
        {"username": username, "password1": password, "password2": password, "usable_password": "true",
         "full_name": "新用户", "role": "station"},
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab3$xyz", "密码长度太短"),          # 7 characters
        ("zhangwei2026x", "太相似"),          # like the username
        ("password123", "太常见"),           # in Django's common-password list
    ],
)
def test_admin_user_creation_refuses_weak_passwords(client, org, password, message):
    client.force_login(org.users.admin)
    resp = add_user(client, "zhangwei2026", password)
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not User.objects.filter(username="zhangwei2026").exists()


def test_admin_user_creation_accepts_a_strong_password(client, org):
    client.force_login(org.users.admin)
    resp = add_user(client, "zhangwei2026", GOOD)
    assert resp.status_code == 302
    assert User.objects.get(username="zhangwei2026").check_password(GOOD)


def test_admin_password_reset_of_a_user_refuses_short(client, org):
    client.force_login(org.users.admin)
    url = f"/admin/org/user/{org.users.east.pk}/password/"
    resp = client.post(url, {"password1": "short1A!", "password2": "short1A!", "usable_password": "true"})
    assert resp.status_code == 200 and "密码长度太短" in resp.content.decode()
    assert client.post(url, {"password1": GOOD, "password2": GOOD, "usable_password": "true"}).status_code == 302
    org.users.east.refresh_from_db()
    assert org.users.east.check_password(GOOD)


def test_user_changes_own_password_with_policy(client, org):
    user = UserFactory(username="wangxiaoming", org_unit=org.east)
    client.force_login(user)
    page = client.get("/org/password/")
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    form = {"old_password": "Jianguan#2026", "new_password1": "wangxiaoming1", "new_password2": "wangxiaoming1"}
    resp = client.post("/org/password/", form)
    assert resp.status_code == 200 and "太相似" in resp.content.decode()
    form.update(new_password1=GOOD, new_password2=GOOD)
    resp = client.post("/org/password/", form, follow=True)
    assert "密码已修改" in resp.content.decode()
    user.refresh_from_db()
    assert user.check_password(GOOD)


def test_menu_links_the_password_page(client, org):
    client.force_login(org.users.east)
    assert 'href="/org/password/"' in client.get("/org/tokens/").content.decode()
