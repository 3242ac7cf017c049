from django.db import models


class EntityType(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL = "individual", "个体工商户"
    COOPERATIVE = "cooperative", "农民专业合作社"


class RegStatus(models.TextChoices):
    ACTIVE = "active", "存续"
    MOVED_OUT = "moved_out", "迁出"
    DEREGISTERED = "deregistered", "注销"
    REVOKED = "revoked", "吊销"


class LicenceKind(models.TextChoices):
    FOOD_BUSINESS = "food_business", "食品经营许可证"
    FOOD_PRODUCTION = "food_production", "食品生产许可证"
    DRUG_RETAIL = "drug_retail", "药品经营许可证"
    MEDICAL_DEVICE = "medical_device", "医疗器械经营许可证"
    INDUSTRIAL_PRODUCT = "industrial_product", "工业产品生产许可证"
    SPECIAL_EQUIPMENT = "special_equipment", "特种设备生产许可证"
    OTHER = "other", "其他"
