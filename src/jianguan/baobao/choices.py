from django.db import models


class BaobaoGrade(models.TextChoices):
    """包保等级 — not the food risk level A–D: the letters say which tier of cadres 包保 the subject (the lead's
    reading of the 2022 rules, unverified: A 县级干部包保, B 乡镇级, C 村级)."""

    A = "A", "A级（县级包保）"
    B = "B", "B级（乡镇级包保）"
    C = "C", "C级（村级包保）"


class CadreLevel(models.TextChoices):
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇级"
    VILLAGE = "village", "村级"


# The tier the grade names (shown beside an assignment whose cadre is of another tier; not enforced).
GRADE_LEVEL = {BaobaoGrade.A: CadreLevel.COUNTY, BaobaoGrade.B: CadreLevel.TOWNSHIP, BaobaoGrade.C: CadreLevel.VILLAGE}
# The versioned rule of each level's 督导 frequency (months between two 督导).
FREQUENCY_RULE = {level: f"baobao.supervision_months.{level}" for level in ("county", "township", "village")}
