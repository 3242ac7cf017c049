"""The demo district's licences beyond the food shops' and drug shops' (district.py): schools, kindergartens,
hospitals and care homes as 其他组织 on the register, each with its canteen's 食品经营许可证 (业态 学校食堂,
托幼机构食堂, 单位食堂, 养老机构食堂); drug wholesale and retail-chain licences, 第二类医疗器械经营备案 and
第三类医疗器械经营许可证, cosmetic and food production licences for the registered businesses whose line fits.
A few licences end within 90 days of the demo date (the to-do's 到期预警), a few were 注销.

Deterministic for a seed; everything is bulk-created. The first schools are those the sampling demo already
samples (their codes and subdistricts), so a school canteen sample names a subject on the register.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from jianguan.businesses.choices import EntityType
from jianguan.businesses.models import Business
from jianguan.businesses.rules import with_check_digit
from jianguan.licences.choices import LicenceStatus
from jianguan.licences.models import Licence, LicenceKind, Sector
from jianguan.org.models import Subdistrict

from . import names
from .district import DIVISION
from .equipment import DEMO_DATE
from .sampling import SCHOOLS as SAMPLED_SCHOOLS

# 其他组织 per scale: (schools, kindergartens, hospitals, care homes)
SCALES = {"small": (12, 6, 3, 4), "district": (60, 45, 12, 20)}
EXPIRING_EVERY = 20  # every 20th licence with a term (its holder old enough) ends within 90 days of the demo date
CANCELLED_EVERY = 30  # every 30th other licence was 注销 before the demo date

# (role, 业态 code, key unit kind, industry code, authority + type, subject-id letters, name patterns)
SUBJECTS = {
    "school": ("school_canteen", "school", "P8321", "12", "MB", ("{d}{s}小学", "{d}{s}中学", "{d}{s}实验学校")),
    "kindergarten": ("kindergarten_canteen", "school", "P8310", "12", "MB", ("{d}{s}幼儿园", "{d}{s}第一幼儿园")),
    "hospital": ("unit_canteen", "hospital", "Q8411", "12", "MB", ("{d}{s}人民医院", "{d}{s}中医医院", "{d}{s}社区卫生服务中心")),
    "care_home": ("care_canteen", "crowded", "Q8514", "52", "MJ", ("{d}{s}颐养院", "{d}{s}敬老院", "{d}{s}老年公寓")),
}
ROLE_LABELS = {"school": "中小学", "kindergarten": "幼儿园", "hospital": "医院", "care_home": "养老机构"}

# Licences for registered businesses: (kind code, 业态 code, which businesses, share of them, term in years or None)
EXTRA = [
    ("drug_wholesale", "drug_wholesale", ("enterprise", "医药"), 0.25, 5),
    ("drug_chain", "drug_chain", ("enterprise", "医药"), 0.25, 5),
    ("medical_device", "device_trade", ("enterprise", "医药"), 0.35, 5),
    ("device_class2_filing", "device_trade", (None, "药店"), 0.6, None),
    ("cosmetic_production", "cosmetic_production", ("enterprise", "化工"), 0.2, 5),
    ("food_production", "food_production", ("enterprise", "食品"), 0.4, 5),
]
NUMBER_FORMATS = {
    "food_business": "JY3{division}{n:07d}",
    "drug_wholesale": "鲁AA{short}{n:05d}",
    "drug_chain": "鲁BA{short}{n:05d}",
    "medical_device": "鲁济食药监械经营许{year}{n:04d}号",
    "device_class2_filing": "鲁济食药监械经营备{year}{n:04d}号",
    "cosmetic_production": "鲁妆{year}{n:04d}",
    "food_production": "SC1{division}{n:07d}",
}


@dataclass
class LicenceCounts:
    subjects: Counter = field(default_factory=Counter)  # role -> 其他组织 created
    by_kind: Counter = field(default_factory=Counter)  # kind name -> licences written
    expiring: int = 0
    cancelled: int = 0

    @property
    def licences(self) -> int:
        return sum(self.by_kind.values())

    def summary(self) -> str:
        subjects = "、".join(f"{ROLE_LABELS[role]} {n}" for role, n in self.subjects.items())
        kinds = "、".join(f"{name} {n}" for name, n in self.by_kind.items())
        return (f"其他组织 {sum(self.subjects.values())} 家（{subjects}），另发许可证 {self.licences} 张（{kinds}）；"
                f"截至 {DEMO_DATE:%Y-%m-%d} 90日内到期 {self.expiring} 张、已注销 {self.cancelled} 张")


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed * 41 + 3)
        self.kinds = dict(LicenceKind.objects.values_list("code", "pk"))
        self.kind_names = dict(LicenceKind.objects.values_list("code", "name"))
        self.sectors = dict(Sector.objects.values_list("code", "pk"))
        self.serials: Counter = Counter()
        self.written = 0
        self.counts = LicenceCounts()

    def number(self, kind: str, issued: dt.date) -> str:
        self.serials[kind] += 1
        return NUMBER_FORMATS[kind].format(division=DIVISION, short=DIVISION[2:], year=issued.year, n=self.serials[kind])

    def licence(self, business: Business, kind: str, sector: str, term: int | None, opened: dt.date) -> Licence:
        """A licence issued after the holder opened; the term ends well after the demo date unless drawn to end
        within 90 days of it, or the licence was 注销 before it."""
        rng = self.rng
        self.written += 1
        status, status_date = LicenceStatus.VALID, None
        until = DEMO_DATE + dt.timedelta(days=rng.randrange(20, 80))
        issued = until - dt.timedelta(days=365 * (term or 0) - 1)
        if term and self.written % EXPIRING_EVERY == 0 and opened <= issued:
            self.counts.expiring += 1
        else:
            latest = DEMO_DATE - dt.timedelta(days=40)
            earliest = max(opened, latest - dt.timedelta(days=365 * (term or 6) - 200))
            issued = earliest + dt.timedelta(days=rng.randrange(0, max(1, (latest - earliest).days)))
            until = issued + dt.timedelta(days=365 * term - 1) if term else None
            if self.written % CANCELLED_EVERY == 0:
                status = LicenceStatus.CANCELLED
                status_date = issued + dt.timedelta(days=rng.randrange(1, max(2, (latest - issued).days)))
                self.counts.cancelled += 1
        self.counts.by_kind[self.kind_names[kind]] += 1
        return Licence(business=business, kind_id=self.kinds[kind], sector_id=self.sectors.get(sector),
                       number=self.number(kind, issued), items=_ITEMS.get(kind, ""), issued_on=issued, valid_until=until,
                       status=status, status_date=status_date)

    # ---- 其他组织 and their canteens ------------------------------------------------------------

    def subjects(self, subdistricts: list[Subdistrict], scale: str) -> list[tuple[Business, str]]:
        rng, rows = self.rng, []
        serial = {"12": 0, "52": 0}
        # The sampling demo's schools first, as it codes and places them (its last one is a kindergarten).
        for n, name in enumerate(SAMPLED_SCHOOLS, 1):
            role = "kindergarten" if "幼儿园" in name else "school"
            serial["12"] = n
            rows.append((name, with_check_digit(f"12{DIVISION}MB{n:07d}"), subdistricts[(3 * n) % len(subdistricts)], role))
        wanted = dict(zip(SUBJECTS, SCALES[scale], strict=True))
        have = Counter(role for *_, role in rows)
        taken = {name for name, *_ in rows}
        for role, count in wanted.items():
            _, _, _, prefix, letters, patterns = SUBJECTS[role]
            while have[role] < count:
                sub = rng.choice(subdistricts)
                name = rng.choice(patterns).format(d="示范区", s=sub.name[:2])
                if name in taken:
                    name = f"示范区{sub.name[:2]}第{have[role] + 2}{name[len('示范区') + 2:]}"
                if name in taken:
                    continue
                taken.add(name)
                serial[prefix] += 1
                rows.append((name, with_check_digit(f"{prefix}{DIVISION}{letters}{serial[prefix]:07d}"), sub, role))
                have[role] += 1
        businesses = []
        for name, uscc, sub, role in rows:
            sector, key_unit, industry, *_ = SUBJECTS[role]
            businesses.append((Business(
                uscc=uscc, name=name, entity_type=EntityType.OTHER_ORG, legal_rep=_person(rng),
                address=f"{sub.name}{rng.choice(names.ROADS)}{rng.randrange(1, 300)}号", subdistrict=sub,
                industry_code=industry, established_on=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 20_000)),
                key_unit=key_unit,
            ), role))
        Business.objects.bulk_create([b for b, _ in businesses], ignore_conflicts=True)
        found = {b.uscc: b for b in Business.objects.filter(uscc__in=[b.uscc for b, _ in businesses])}
        self.counts.subjects.update(role for _, role in businesses)
        return [(found[b.uscc], role) for b, role in businesses]

    def canteens(self, subjects: list[tuple[Business, str]]) -> list[Licence]:
        return [self.licence(b, "food_business", SUBJECTS[role][0], 5, b.established_on) for b, role in subjects]

    # ---- registered businesses ----------------------------------------------------------------

    def extra(self) -> list[Licence]:
        active = Business.objects.filter(reg_status="active").exclude(entity_type=EntityType.OTHER_ORG).order_by("uscc")
        licences = []
        for kind, sector, (entity, word), share, term in EXTRA:
            pool = active.filter(name__contains=word)
            if entity:
                pool = pool.filter(entity_type=entity)
            for business in pool:
                if self.rng.random() < share:
                    licences.append(self.licence(business, kind, sector, term, business.established_on))
        return licences


_ITEMS = {
    "food_business": "热食类食品制售",
    "drug_wholesale": "化学药制剂、抗生素制剂、中成药、中药饮片、生物制品",
    "drug_chain": "处方药、甲类非处方药、乙类非处方药：中成药、化学药制剂、抗生素制剂",
    "medical_device": "三类：6815注射穿刺器械、6866医用高分子材料及制品",
    "device_class2_filing": "二类：6820普通诊察器械、6864医用卫生材料及敷料",
    "cosmetic_production": "一般液态单元（护发清洁类、护肤水类）",
    "food_production": "糕点、方便食品",
}


def _person(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + "".join(rng.choice(names.GIVEN) for _ in range(rng.choice((1, 2))))


def build_licences(seed: int, scale: str = "small") -> LicenceCounts:
    """Schools, kindergartens, hospitals and care homes with their canteen licences, and the drug, device,
    cosmetic and food production licences of the registered businesses. Run after build_businesses."""
    builder = _Builder(seed)
    subdistricts = list(Subdistrict.objects.order_by("code"))
    subjects = builder.subjects(subdistricts, scale)
    licences = builder.canteens(subjects) + builder.extra()
    Licence.objects.bulk_create(licences, batch_size=2000)
    return builder.counts
