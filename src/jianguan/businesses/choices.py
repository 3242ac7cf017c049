from django.db import models


class EntityType(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL = "individual", "个体工商户"
    COOPERATIVE = "cooperative", "农民专业合作社"
    # 机关、事业单位、社会组织 … (USCC authority other than 9): on the register because they run canteens, use
    # special equipment and are inspected, but not 市场主体 — kept out of every 市场主体 figure.
    OTHER_ORG = "other_org", "其他组织"


# The 主体类型 that make up 市场主体 (registered by market regulation), in display order.
MARKET_ENTITY_TYPES = (EntityType.ENTERPRISE, EntityType.INDIVIDUAL, EntityType.COOPERATIVE)
MARKET_ENTITY_CHOICES = tuple((t.value, t.label) for t in MARKET_ENTITY_TYPES)


class RegStatus(models.TextChoices):
    ACTIVE = "active", "存续"
    MOVED_OUT = "moved_out", "迁出"
    DEREGISTERED = "deregistered", "注销"
    REVOKED = "revoked", "吊销"


class KeyUnitKind(models.TextChoices):
    SCHOOL = "school", "学校、幼儿园"
    HOSPITAL = "hospital", "医院"
    STATION = "station", "车站、机场、码头"
    MALL = "mall", "商场、超市"
    PARK = "park", "公园、旅游景区"
    CROWDED = "crowded", "其他人员密集场所"
    ACCIDENT = "accident", "近两年发生事故"
    COMPLAINTS = "complaints", "投诉举报较多"


class CreditRiskClass(models.TextChoices):
    """信用风险分类 (A 低 … D 高); blank is 未分类. 双随机抽查 draws each class at its own ratio."""

    A = "A", "A类（低风险）"
    B = "B", "B类（一般风险）"
    C = "C", "C类（较高风险）"
    D = "D", "D类（高风险）"


UNCLASSIFIED_LABEL = "未分类"
