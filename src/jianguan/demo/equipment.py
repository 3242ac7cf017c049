"""The demo district's special equipment: devices, examinations, producers, deterministic for a seed.

Shares follow a real district ledger (seed 000): elevators ~45 %, pressure vessels ~35 %, cranes
~13 %, in-plant vehicles ~4 %, boilers ~2 %, a few amusement devices and ropeways; ~18 % idle;
a few hundred devices due within 30 days of the demo date and a few dozen overdue. Everything is
bulk-created, then equipment_refresh computes the due states and opens the follow-up tasks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from jianguan.businesses.models import Business
from jianguan.equipment.choices import (
    PRODUCER_LICENCE_KIND,
    PRODUCER_SECTOR,
    DueState,
    EquipmentStatus,
    ExamConclusion,
    LicenceItem,
)
from jianguan.equipment.models import Equipment, Examination
from jianguan.equipment.rules import add_months
from jianguan.equipment.services import equipment_refresh
from jianguan.licences.models import Licence, LicenceKind, Sector
from jianguan.org.models import Subdistrict

from . import names
from .district import DEMO_DATE, DIVISION, _uscc

SCALES = {"small": 800, "district": 11_000}

# (type code, share of all devices, [(category, variety or None, weight, cycle months)], cert prefix)
TYPES = [
    ("3000", 0.45, [
        ("3100", "3110", 70, 12), ("3100", "3120", 12, 12), ("3100", "3130", 2, 12), ("3300", "3310", 8, 12),
        ("3300", "3320", 1, 12), ("3200", "3210", 2, 12), ("3400", "3430", 3, 12), ("3400", "3420", 2, 12),
    ], "梯"),
    ("2000", 0.35, [
        ("2100", "2170", 40, 36), ("2100", "2150", 42, 36), ("2100", "2130", 8, 36), ("2200", "2220", 4, 12),
        ("2200", "2230", 2, 12), ("2300", "2310", 3, 36), ("2400", "2410", 1, 12),
    ], "容"),
    ("4000", 0.13, [
        ("4100", None, 52, 24), ("4200", None, 10, 24), ("4300", None, 5, 12), ("4400", None, 5, 12),
        ("4800", None, 12, 12), ("4D00", None, 16, 24),
    ], "起"),
    ("5000", 0.04, [("5100", "5110", 90, 24), ("5200", None, 10, 12)], "车"),
    ("1000", 0.02, [("1100", None, 40, 12), ("1200", None, 50, 12), ("1300", None, 10, 12)], "锅"),
    ("6000", 0.0075, [
        ("6100", None, 2, 12), ("6200", None, 2, 12), ("6400", None, 2, 12), ("6600", None, 3, 12),
        ("6800", None, 2, 12), ("6900", None, 2, 12), ("6A00", None, 3, 12), ("6B00", None, 1, 12),
    ], "游"),
    ("9000", 0.0005, [("9100", None, 2, 12), ("9200", None, 1, 12), ("9300", None, 1, 12)], "索"),
]
IDLE_SHARE = {"1000": 0.45}  # coal-fired boilers were largely taken out of service
DEFAULT_IDLE_SHARE = 0.175
RETIRED_SHARE = 0.02  # 报废 / 注销, not counted as registered
OVERDUE_SHARE = 0.005
FAILED_SHARE = 0.002

INSTITUTIONS = ["济南市特种设备检验研究院", "山东省特种设备检验研究院济南分院", "济南市锅炉压力容器检验研究所"]
INDUSTRIAL_LINES = ("化工", "机械设备", "物流", "建筑工程", "食品", "汽车销售")
MAINTAINER_LINE = "电梯工程"

# Key units the demo creates: (name, key unit kind, which devices they attract)
KEY_UNITS = [
    ("济南泉城购物中心有限公司", "mall", "escalator"),
    ("济南恒泰广场商业管理有限公司", "mall", "escalator"),
    ("济南万家百货有限公司", "mall", "escalator"),
    ("济南示范区中心医院有限公司", "hospital", "hospital"),
    ("济南康宁医院有限公司", "hospital", "hospital"),
    ("济南明湖实验学校有限公司", "school", "elevator"),
    ("济南舜耕双语学校有限公司", "school", "elevator"),
    ("济南长途汽车东站有限公司", "station", "escalator"),
    ("济南千佛山景区管理有限公司", "park", "park"),
    ("济南泉城欢乐谷游乐有限公司", "park", "park"),
]
PRODUCER_ITEMS = {
    MAINTAINER_LINE: [LicenceItem.INSTALL, LicenceItem.MODIFY, LicenceItem.REPAIR, LicenceItem.MAINTAIN],
    "机械设备": [LicenceItem.MANUFACTURE, LicenceItem.INSTALL],
    "化工": [LicenceItem.FILL],
    "建筑工程": [LicenceItem.INSTALL, LicenceItem.REPAIR],
}


@dataclass
class EquipmentCounts:
    devices: int = 0
    in_use: int = 0
    idle: int = 0
    retired: int = 0
    operators: int = 0
    key_units: int = 0
    maintainers: int = 0
    producers: int = 0
    examinations: int = 0
    estimated: int = 0
    warning: int = 0
    overdue: int = 0
    failed: int = 0
    tasks: int = 0
    by_type: dict | None = None

    def summary(self) -> str:
        return (
            f"特种设备 {self.devices} 台（在用 {self.in_use}、停用 {self.idle}、报废注销 {self.retired}），"
            f"使用单位 {self.operators} 家（重点单位 {self.key_units} 家），生产单位 {self.producers} 家，"
            f"定期检验记录 {self.examinations} 条；截至 {DEMO_DATE:%Y-%m-%d} 30日内到期 {self.warning} 台、"
            f"超期 {self.overdue} 台、检验不合格 {self.failed} 台，跟进任务 {self.tasks} 项"
        )


def type_counts(total: int) -> dict[str, int]:
    """Devices per type for a total: rounded shares, at least one of each, the remainder to elevators."""
    counts = {code: max(1, round(total * share)) for code, share, _, _ in TYPES}
    counts["3000"] += total - sum(counts.values())
    return counts


def _weights(rng: random.Random, n: int) -> list[float]:
    """Heavy-tailed operator sizes: a few property companies run hundreds of elevators, most run a handful."""
    return [min(rng.paretovariate(1.1), 80.0) for _ in range(n)]


class _Pool:
    def __init__(self, rng: random.Random, members: list):
        self.members = members
        weights = _weights(rng, len(members))
        self.cum, total = [], 0.0
        for w in weights:
            total += w
            self.cum.append(total)

    def pick(self, rng: random.Random):
        return rng.choices(self.members, cum_weights=self.cum, k=1)[0]


def _key_units(rng: random.Random, subdistricts: list[Subdistrict]) -> list[Business]:
    """Create the demo's key units (idempotent by USCC) and return them in KEY_UNITS order."""
    rows = []
    for i, (name, kind, _) in enumerate(KEY_UNITS, start=1):
        sub = subdistricts[(i * 7) % len(subdistricts)]
        rows.append(Business(
            uscc=_uscc(rng, "1", 900_000 + i), name=name, entity_type="enterprise", legal_rep="",
            address=f"{sub.name}{rng.choice(names.ROADS)}{rng.randrange(1, 300)}号", subdistrict=sub,
            industry_code="", established_on=dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(0, 4000)), key_unit=kind,
        ))
    Business.objects.bulk_create(rows, ignore_conflicts=True)
    found = {b.uscc: b for b in Business.objects.filter(uscc__in=[r.uscc for r in rows])}
    return [found[r.uscc] for r in rows]


def _device_status(rng: random.Random, type_code: str, registered: dt.date) -> tuple[str, dt.date | None]:
    roll = rng.random()
    idle = IDLE_SHARE.get(type_code, DEFAULT_IDLE_SHARE)
    if roll >= idle + RETIRED_SHARE:
        return EquipmentStatus.IN_USE, None
    span = max(30, (DEMO_DATE - registered).days - 5)
    when = registered + dt.timedelta(days=rng.randrange(5, span))
    if roll < idle:
        return EquipmentStatus.IDLE, when
    return rng.choice((EquipmentStatus.SCRAPPED, EquipmentStatus.DEREGISTERED)), when


def _exam_history(rng, device: Equipment, cycle: int, serial: int, shares: tuple[float, float]) -> list[Examination]:
    """Examinations back from the latest one, at most three, never before registration."""
    on = device.status_date or DEMO_DATE
    overdue_share, failed_share = shares
    if device.status == EquipmentStatus.IN_USE:
        roll = rng.random()
        if roll < overdue_share:
            next_due = DEMO_DATE - dt.timedelta(days=rng.randrange(1, 150))
        else:
            next_due = DEMO_DATE + dt.timedelta(days=rng.randrange(0, max(31, (add_months(DEMO_DATE, cycle) - DEMO_DATE).days)))
        last = add_months(next_due, -cycle)
        failed = roll > 1 - failed_share
    else:
        last = on - dt.timedelta(days=rng.randrange(30, 400))
        next_due, failed = add_months(last, cycle), False
    if last <= device.registered_on or last >= DEMO_DATE:
        return []  # too young for a report: the due date stays estimated
    exams, date, due = [], last, next_due
    for k in range(3):
        if date <= device.registered_on:
            break
        conclusion = ExamConclusion.PASSED
        if k == 0 and failed:
            conclusion, due = ExamConclusion.FAILED, None
        elif rng.random() < 0.04:
            conclusion = ExamConclusion.PASSED_ON_RECHECK
        elif device.type_id == "1000" and rng.random() < 0.1:
            conclusion = ExamConclusion.MONITORED
        exams.append(Examination(
            equipment=device, date=date, conclusion=conclusion, next_due=due,
            institution=INSTITUTIONS[serial % len(INSTITUTIONS)] if device.type_id != "3000" else INSTITUTIONS[0],
            report_no=f"{device.type_id[:1]}J{date.year}-{serial:06d}{k}",
        ))
        due, date = date, add_months(date, -cycle)
    return exams


def build_equipment(subdistricts: list[Subdistrict], count: int, seed: int, *, refresh: bool = True) -> EquipmentCounts:
    """Create about `count` devices among the enterprises already in the registry."""
    rng = random.Random(seed * 31 + 7)
    enterprises = list(
        Business.objects.filter(entity_type="enterprise", reg_status="active")
        .exclude(name__in=[name for name, _, _ in KEY_UNITS])
        .order_by("uscc").values_list("pk", "name", "subdistrict_id", "address")
    )
    if not enterprises:
        return EquipmentCounts()
    subs_by_pk = {s.pk: s for s in subdistricts}
    key_units = _key_units(rng, subdistricts)

    maintainers = [e for e in enterprises if MAINTAINER_LINE in e[1]][:8]
    operators = rng.sample(enterprises, min(len(enterprises), max(20, round(count * 0.07))))
    industrial = [e for e in operators if any(line in e[1] for line in INDUSTRIAL_LINES)] or operators
    # Supermarket chains among the operators are key units too (商场、超市).
    malls = [e[0] for e in operators if "超市" in e[1]][:10]
    Business.objects.filter(pk__in=malls).update(key_unit="mall")

    as_tuple = [(b.pk, b.name, b.subdistrict_id, b.address) for b in key_units]
    kind_of = {b.pk: role for b, (_, _, role) in zip(key_units, KEY_UNITS, strict=True)}
    pools = {
        "elevator": _Pool(rng, operators + as_tuple),
        "industrial": _Pool(rng, industrial),
        "escalator": _Pool(rng, [k for k in as_tuple if kind_of[k[0]] == "escalator"] + [e for e in operators if e[0] in malls]),
        "hospital": _Pool(rng, [k for k in as_tuple if kind_of[k[0]] == "hospital"]),
        "park": _Pool(rng, [k for k in as_tuple if kind_of[k[0]] == "park"]),
    }

    def operator_for(category: str):
        if category == "3300" or (category.startswith("3") and rng.random() < 0.05):
            return pools["escalator"].pick(rng)
        if category == "2400" or (category in ("1200", "2150") and rng.random() < 0.05):
            return pools["hospital"].pick(rng)
        if category[0] in "69" or category == "5200":
            return pools["park"].pick(rng)
        if category[0] == "3":
            return pools["elevator"].pick(rng)
        return pools["industrial"].pick(rng)

    devices, exams_by_device, serial = [], [], 0
    # A small demo still shows a handful of overdue and failed devices.
    shares = (max(OVERDUE_SHARE, 12 / count), max(FAILED_SHARE, 3 / count))
    year_weights = [(y, 1 + (y - 2003) * 0.25) for y in range(2003, 2027)]
    years, year_w = [y for y, _ in year_weights], [w for _, w in year_weights]
    for (type_code, _, variants, prefix), n in zip(TYPES, type_counts(count).values(), strict=True):
        weights = [v[2] for v in variants]
        for _ in range(n):
            serial += 1
            category, variety, _, cycle = rng.choices(variants, weights=weights, k=1)[0]
            op_pk, op_name, op_sub, op_address = operator_for(category)
            sub = subs_by_pk.get(op_sub) if rng.random() < 0.9 else None
            sub = sub or subdistricts[rng.randrange(len(subdistricts))]
            year = rng.choices(years, weights=year_w, k=1)[0]
            registered = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
            registered = min(registered, DEMO_DATE - dt.timedelta(days=20))
            status, status_date = _device_status(rng, type_code, registered)
            if type_code == "3000":
                place = f"{op_address or sub.name}{rng.randrange(1, 30)}号楼{rng.randrange(1, 5)}单元"
            else:
                place = op_address or f"{sub.name}{rng.choice(names.ROADS)}{rng.randrange(1, 300)}号"
            device = Equipment(
                reg_code=f"{(variety or category)}{DIVISION}{registered.year}{serial:06d}",
                type_id=type_code, category_id=category, variety_id=variety, operator_id=op_pk,
                address=place[:300], subdistrict=sub,
                use_cert_no=f"{prefix}{serial % 90 + 10}鲁A{serial:05d}({registered.year % 100:02d})",
                registered_on=registered, status=status, status_date=status_date,
            )
            if type_code == "3000":
                if maintainers and rng.random() < 0.96:
                    device.maintainer_id = maintainers[serial % len(maintainers)][0]
                if status == EquipmentStatus.IN_USE:
                    roll = rng.random()
                    if roll < 0.92:
                        device.insurance_until = DEMO_DATE + dt.timedelta(days=rng.randrange(20, 365))
                    elif roll < 0.97:
                        device.insurance_until = DEMO_DATE - dt.timedelta(days=rng.randrange(1, 200))
            history = _exam_history(rng, device, cycle, serial, shares)
            if history:
                device.next_due, device.last_conclusion = history[0].next_due, history[0].conclusion
            elif status == EquipmentStatus.IN_USE:
                device.next_due, device.next_due_estimated = add_months(registered, cycle), True
                if device.next_due < DEMO_DATE:  # a young device whose first report would be due already
                    device.next_due = DEMO_DATE + dt.timedelta(days=rng.randrange(31, 300))
            devices.append(device)
            exams_by_device.append(history)

    Equipment.objects.bulk_create(devices, batch_size=2000)
    if any(d.pk is None for d in devices):  # a database that does not return ids from bulk inserts
        created = dict(Equipment.objects.values_list("reg_code", "pk"))
        for device in devices:
            device.pk = created[device.reg_code]
    exams = []
    for device, history in zip(devices, exams_by_device, strict=True):
        for exam in history:
            exam.equipment_id = device.pk
            exams.append(exam)
    Examination.objects.bulk_create(exams, batch_size=2000)

    producers = _producers(rng, enterprises, maintainers)
    counts = EquipmentCounts(
        devices=len(devices),
        in_use=sum(d.status == EquipmentStatus.IN_USE for d in devices),
        idle=sum(d.status == EquipmentStatus.IDLE for d in devices),
        retired=sum(d.status in (EquipmentStatus.SCRAPPED, EquipmentStatus.DEREGISTERED) for d in devices),
        operators=len({d.operator_id for d in devices}),
        key_units=len(key_units) + len(malls),
        maintainers=len(maintainers),
        producers=producers,
        examinations=len(exams),
        estimated=sum(d.next_due_estimated for d in devices),
        by_type=dict(Counter(d.type_id for d in devices)),
    )
    if refresh:
        counts.tasks = equipment_refresh(on=DEMO_DATE).tasks_opened
        states = Counter(Equipment.objects.filter(status=EquipmentStatus.IN_USE).values_list("due_state", flat=True))
        counts.warning, counts.overdue, counts.failed = states[DueState.WARNING], states[DueState.OVERDUE], states[DueState.FAILED]
    return counts


def _producers(rng: random.Random, enterprises: list, maintainers: list) -> int:
    """About ten 生产单位: the elevator companies and a few manufacturers, installers and filling stations, each
    with a 特种设备生产许可证 in the licence register."""
    kind = LicenceKind.objects.get(code=PRODUCER_LICENCE_KIND).pk
    sector = Sector.objects.filter(code=PRODUCER_SECTOR).values_list("pk", flat=True).first()
    labels = dict(LicenceItem.choices)
    chosen = list(maintainers[:4])
    for line, n in (("机械设备", 3), ("化工", 2), ("建筑工程", 1)):
        chosen += [e for e in enterprises if line in e[1] and e not in chosen][:n]
    licences = []
    for i, (pk, name, _, _) in enumerate(chosen, start=1):
        line = next((k for k in PRODUCER_ITEMS if k in name), MAINTAINER_LINE)
        until = DEMO_DATE + dt.timedelta(days=rng.randrange(60, 1400)) if i % 9 else DEMO_DATE - dt.timedelta(days=40)
        items = [str(item) for item in PRODUCER_ITEMS[line]]
        licences.append(Licence(
            business_id=pk, number=f"TS{3 if line == MAINTAINER_LINE else 2}{DIVISION[:4]}{i:03d}-{until.year}",
            kind_id=kind, sector_id=sector, item_codes=items, items="、".join(labels[item] for item in items),
            valid_until=until, issued_on=add_months(until, -48),
        ))
    Licence.objects.bulk_create(licences)
    return len({lic.business_id for lic in licences})
