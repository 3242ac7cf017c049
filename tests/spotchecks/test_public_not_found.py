"""Not found under /public/spotchecks/: the public layout (no staff navigation, no link behind the login),
a message for the public, JSON for the record URLs, the slash redirect kept, and the rate limit counting."""

import pytest
from django.core.cache import cache

from jianguan.spotchecks.choices import TaskStatus

from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def w(org):
    return builders.world(org, per_sub=4)


def assert_public_404(response, message: str = "") -> str:
    text = response.content.decode()
    assert response.status_code == 404
    assert "“双随机、一公开”信息公示" in text and 'href="/public/spotchecks/"' in text and 'id="not-found"' in text
    assert "监管平台" not in text and 'href="/"' not in text and "/login/" not in text  # the staff layout's marks
    assert message in text
    return text


def test_unknown_tasks_and_drafts_are_not_found_in_the_public_layout(client, w):
    draft = builders.task(w, "草拟中的任务")
    assert_public_404(client.get("/public/spotchecks/tasks/SJ20269999/"), "未找到该抽查任务")
    assert_public_404(client.get(f"/public/spotchecks/tasks/{draft.number}/"), "任务锁定后才公开")
    assert_public_404(client.get("/public/spotchecks/tasks/SJ20269999/results.csv"), "未找到该抽查任务")
    # Any other path here too, however deep.
    assert_public_404(client.get("/public/spotchecks/no/such/page/"), "您访问的页面不存在")
    text = assert_public_404(client.get("/public/spotchecks/tasks/<b>x</b>/"))
    assert "<b>x</b>" not in text


def test_record_urls_answer_json_when_not_found(client, w):
    locked = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.LOCKED)
    for url in ("/public/spotchecks/draws/999999.json", "/public/spotchecks/draws/SJ20269999.json"):
        response = client.get(url)
        assert response.status_code == 404 and response.json() == {
            "code": "not_found", "message": "未找到该抽查任务。任务编号有误，或任务尚未公布（任务锁定后才公开）。", "extra": {},
        }, url
    response = client.get(f"/public/spotchecks/draws/{locked.pk}.json")  # announced, not drawn yet
    assert response.status_code == 404 and response.json()["message"] == f"任务 {locked.number} 尚未抽取，抽取后才有抽取记录。"


def test_the_missing_slash_still_redirects(client, w):
    locked = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.LOCKED)
    response = client.get(f"/public/spotchecks/tasks/{locked.number}", {"page": "2"})
    assert response.status_code == 301 and response["Location"] == f"/public/spotchecks/tasks/{locked.number}/?page=2"
    assert client.get(response["Location"]).status_code == 200
    assert_public_404(client.get("/public/spotchecks/nothing-here"))  # no slash, and nothing with one either


def test_probing_for_task_numbers_is_rate_limited(client, w, settings):
    settings.JIANGUAN_RATE_LIMITS = {"public": "2/m"}
    assert [client.get(f"/public/spotchecks/tasks/SJ2026000{n}/").status_code for n in (1, 2)] == [404, 404]
    assert client.get("/public/spotchecks/tasks/SJ20260003/").status_code == 429
    assert client.get("/public/spotchecks/anything").status_code == 429


def test_a_signed_in_user_also_gets_the_public_layout(client, org, w):
    client.force_login(org.users.dept)
    text = assert_public_404(client.get("/public/spotchecks/tasks/SJ20269999/"))
    assert "退出" not in text
