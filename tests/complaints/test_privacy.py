"""PIPL: masked for all but the handler and users granted 查看个人信息; every unmasking recorded."""

import pytest
from django.contrib.auth.models import Permission

from jianguan.complaints.models import Disclosure
from jianguan.complaints.privacy import mask_name, mask_phone, personal_info
from jianguan.complaints.services.handling import complaint_take

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("", ""), ("李", "李")],
)
def test_names_keep_only_the_first_character(raw, masked):
    assert mask_name(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"), [("13812341234", "138****1234"), ("0531-88881234", "0531-****1234"), ("88881234", "****1234")],
)
def test_phones_keep_only_the_last_four_digits(raw, masked):
    assert mask_phone(raw) == masked


def test_only_the_handler_and_granted_users_see_it_and_each_view_is_recorded(receive, org):
    c = receive()
    assert personal_info(org.users.east, c, purpose="查看") == {"name": "张*", "phone": "138****1234", "masked": True}
    assert personal_info(org.users.leader, c, purpose="查看")["masked"]
    assert not Disclosure.objects.exists()
    c = complaint_take(actor=org.users.east, pk=c.pk, version=c.version)
    assert personal_info(org.users.east, c, purpose="办理") == {"name": "张三", "phone": "13812341234", "masked": False}
    org.users.leader.user_permissions.add(Permission.objects.get(codename="view_personal_info", content_type__app_label="complaints"))
    leader = type(org.users.leader).objects.get(pk=org.users.leader.pk)  # fresh permission cache
    assert not personal_info(leader, c, purpose="督办")["masked"]
    assert list(Disclosure.objects.order_by("at").values_list("user__username", "purpose")) == [("east", "办理"), ("leader", "督办")]
