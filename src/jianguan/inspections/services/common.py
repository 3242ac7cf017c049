"""What every inspections service shares: who may write where, saving with Chinese validation."""


from jianguan.core.errors import ConcurrentEdit, PermissionDenied
from jianguan.core.services import save_valid as save  # noqa: F401  (the services save through common)
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope


def check_writer(actor: User | None, subdistrict: Subdistrict) -> None:
    if actor is None:
        return  # the command line and the demo act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能录入或修改检查记录")
    if not subdistricts_in_scope(actor=actor).filter(pk=subdistrict.pk).exists():
        raise PermissionDenied(f"“{subdistrict.name}”不在您的辖区范围内")


def check_version(obj, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise ConcurrentEdit(f"该{obj._meta.verbose_name}已被他人修改（当前为第{obj.version}版，您提交的是第{version}版），请刷新后重试，您填写的内容未保存")



def set_in_order(manager, objs) -> None:
    """Like a many-to-many manager's set(), keeping the given order in the link rows' ids (set() works
    with Python sets, so the order came out by id hash): the ledgers list inspectors as entered."""
    wanted = list(dict.fromkeys(objs))
    links = manager.through.objects.filter(**{manager.source_field_name: manager.instance}).order_by("pk")
    if list(links.values_list(f"{manager.target_field_name}_id", flat=True)) == [o.pk for o in wanted]:
        return
    manager.clear()
    for obj in wanted:  # one at a time: each link row, and its audit, in order
        manager.add(obj)
