"""The demo district: org units, users and businesses, deterministic for a given seed."""

import datetime as dt
import random
from dataclasses import dataclass

from jianguan.businesses.models import Business
from jianguan.businesses.rules import with_check_digit
from jianguan.licences.models import Licence, LicenceKind, Sector
from jianguan.org.choices import OrgKind, Role
from jianguan.org.models import OrgUnit, Subdistrict, User

from . import names

DEMO_PASSWORD = "Jianguan#2026"
DEMO_DATE = dt.date(2026, 11, 25)  # "today" in the demo district: every module's records run up to it
DIVISION = "370199"  # a fictitious district code under Jinan
DEPARTMENTS = [
    ("D01", "特种设备安全监察科", "tezhong"),
    ("D02", "食品安全监督管理科", "shipin"),
    ("D03", "信用监督管理科", "xinyong"),
    ("D04", "消费者权益保护科", "xiaobao"),
    ("D05", "执法稽查科", "jicha"),
]
STATIONS = [
    ("S01", "城东市场监管所", ["城东街道", "文化路街道", "新华街道"]),
    ("S02", "城西市场监管所", ["城西街道", "杆石桥街道", "西门街道"]),
    ("S03", "泉城市场监管所", ["泉城路街道", "大明湖街道"]),
    ("S04", "千佛山市场监管所", ["千佛山街道", "舜耕街道", "舜玉路街道"]),
    ("S05", "开发区市场监管所", ["工业园街道", "高新街道"]),
    ("S06", "南山市场监管所", ["南山镇", "仲宫镇"]),
]
SCALES = {"small": 5_000, "district": 300_000}
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def demo_usernames() -> list[str]:
    return ["admin", "leader"] + [login for _, _, login in DEPARTMENTS] + [f"suo{i}" for i in range(1, len(STATIONS) + 1)]


@dataclass
class Login:
    username: str
    role: str
    org_unit: str


def build_org() -> tuple[OrgUnit, list[Subdistrict], list[Login]]:
    bureau = OrgUnit.objects.create(kind=OrgKind.BUREAU, code="B", name="示范区市场监督管理局")
    logins = []

    def user(username, role, unit, full_name, **extra):
        account = User(username=username, role=role, org_unit=unit, full_name=full_name, **extra)
        account.set_password(DEMO_PASSWORD)
        account.save()
        logins.append(Login(username, Role(role).label, unit.name))

    user("admin", Role.ADMIN, bureau, "系统管理员", is_staff=True, is_superuser=True)
    user("leader", Role.LEADERSHIP, bureau, "王局长")
    for code, name, login in DEPARTMENTS:
        dept = OrgUnit.objects.create(kind=OrgKind.DEPARTMENT, code=code, name=name, parent=bureau)
        user(login, Role.DEPARTMENT, dept, f"{name[:2]}科员")
    subdistricts, n = [], 0
    for i, (code, name, subs) in enumerate(STATIONS, start=1):
        station = OrgUnit.objects.create(kind=OrgKind.STATION, code=code, name=name, parent=bureau)
        user(f"suo{i}", Role.STATION, station, f"{name[:2]}所执法员")
        for sub in subs:
            n += 1
            subdistricts.append(Subdistrict.objects.create(code=f"{DIVISION}{n:03d}", name=sub, station=station))
    return bureau, subdistricts, logins


def _person(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + "".join(rng.choice(names.GIVEN) for _ in range(rng.choice((1, 2))))


def _uscc(rng: random.Random, entity_digit: str, serial: int) -> str:
    # The subject id mixes a serial (for uniqueness) with random characters (for realism).
    body = f"{serial:06d}" + "".join(rng.choice(ALPHABET) for _ in range(3))
    return with_check_digit(f"9{entity_digit}{DIVISION}{body}")


def _business(rng: random.Random, serial: int, subdistrict: Subdistrict, district_name: str) -> Business:
    roll = rng.random()
    trade = rng.choice(names.TRADE_NAMES)
    if roll < 0.30:
        line, industry = rng.choice(names.ENTERPRISE_LINES)
        entity, digit, name = "enterprise", "1", f"济南{trade}{line}有限公司"
    elif roll < 0.98:
        line, industry = rng.choice(names.INDIVIDUAL_SHOPS)
        owner = rng.choice(names.SURNAMES)
        entity, digit, name = "individual", "2", f"{district_name}{subdistrict.name[:2]}{owner}记{line}"
    else:
        line, industry = rng.choice(names.COOPERATIVE_LINES)
        entity, digit, name = "cooperative", "3", f"{district_name}{trade}{line}专业合作社"
    established = dt.date(1998, 1, 1) + dt.timedelta(days=rng.randrange(0, 10_500))
    status, status_date = "active", None
    if rng.random() < 0.06:
        status = rng.choice(("deregistered", "deregistered", "revoked", "moved_out"))
        status_date = min(established + dt.timedelta(days=rng.randrange(200, 4000)), dt.date(2026, 11, 20))
    return Business(
        uscc=_uscc(rng, digit, serial),
        name=f"{name}（{serial}）" if serial % 7 == 0 else name,
        entity_type=entity,
        legal_rep=_person(rng),
        address=f"{subdistrict.name}{rng.choice(names.ROADS)}{rng.randrange(1, 300)}号",
        subdistrict=subdistrict,
        industry_code=industry,
        established_on=established,
        reg_status=status,
        status_date=status_date,
    )


FOOD_WORDS = ("超市", "小吃", "饭店", "早餐", "面馆", "烧烤", "熟食", "餐饮", "食品", "水果", "蔬菜", "粮油")
DRUG_WORDS = ("药店", "医药")


# The 主体业态 a demo business's name suggests (first word that matches).
SECTOR_WORDS = (("超市", "supermarket"), ("饭店", "catering_medium"), ("餐饮", "catering_medium"), ("小吃", "snack_stall"),
                ("早餐", "catering_small"), ("面馆", "catering_small"), ("烧烤", "catering_small"), ("熟食", "grocery"),
                ("食品", "grocery"), ("水果", "grocery"), ("蔬菜", "market"), ("粮油", "grocery"), ("药店", "drug_retail"),
                ("医药", "drug_retail"))


def _references() -> tuple[dict, dict]:
    return (dict(LicenceKind.objects.values_list("code", "pk")), dict(Sector.objects.values_list("code", "pk")))


def _licences(business: Business, refs: tuple[dict, dict]) -> list[Licence]:
    """Food and drug licences for the businesses whose line needs one (numbers in the JY/鲁 style)."""
    if business.reg_status != "active":
        return []
    kinds, sectors = refs
    serial = business.uscc[8:14]
    start = max(business.established_on, dt.date(2021, 1, 1))
    while start + dt.timedelta(days=5 * 365) < DEMO_DATE:  # renewed every five years: the current one
        start += dt.timedelta(days=5 * 365)
    if any(word in business.name for word in FOOD_WORDS):
        kind, number = "food_business", f"JY{'2' if business.entity_type == 'individual' else '1'}{DIVISION}{serial}"
    elif any(word in business.name for word in DRUG_WORDS):
        kind, number = "drug_retail", f"鲁CA{DIVISION[2:]}{serial}"
    else:
        return []
    sector = next((code for word, code in SECTOR_WORDS if word in business.name), None)
    return [Licence(business=business, kind_id=kinds[kind], number=number, sector_id=sectors.get(sector), issued_on=start,
                    valid_until=start + dt.timedelta(days=5 * 365))]


def _flush(batch: list[Business], refs: tuple[dict, dict]) -> None:
    Business.objects.bulk_create(batch)
    Licence.objects.bulk_create([lic for b in batch for lic in _licences(b, refs)])


def build_businesses(subdistricts: list[Subdistrict], count: int, seed: int, progress=None) -> int:
    rng = random.Random(seed)
    batch, written, refs = [], 0, _references()
    for serial in range(1, count + 1):
        batch.append(_business(rng, serial, rng.choice(subdistricts), "示范区"))
        if len(batch) == 5000:
            _flush(batch, refs)
            written += len(batch)
            batch = []
            if progress:
                progress(written, count)
    if batch:
        _flush(batch, refs)
        written += len(batch)
    return written
