"""The producer licences (特种设备生产单位) move into the licence register as kind 特种设备生产许可证, without loss:
number, holder, 许可项目 (the codes in item_codes, their Chinese names joined with 、 in items), 有效期起 as the
issue date, 有效期至; then the equipment app's own table goes. Reversed, the rows of that kind move back."""

from django.db import migrations

KIND = "special_equipment"
SECTOR = "special_equipment"
# The 许可项目 names as they were when the licences moved (equipment.choices.LicenceItem).
ITEM_LABELS = {"manufacture": "制造", "install": "安装", "modify": "改造", "repair": "修理", "fill": "充装",
               "maintain": "维护保养", "design": "设计"}


def fold(apps, schema_editor):
    Old = apps.get_model("equipment", "ProducerLicence")
    Licence = apps.get_model("licences", "Licence")
    kind = apps.get_model("licences", "LicenceKind").objects.get(code=KIND)
    sector = apps.get_model("licences", "Sector").objects.filter(code=SECTOR).first()
    taken = set(Licence.objects.values_list("number", flat=True))
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=5000):
        number = old.number.strip().upper()  # as the register keeps its numbers (and the ledger now reads them)
        if number in taken:  # a number another kind already holds: keep both, this one marked by its kind
            number = f"{number}-{KIND}"
        taken.add(number)
        codes = [str(item) for item in old.items or []]
        # An issue date after the term would break the register's date rule; the term is what the figures read.
        issued_on = old.valid_from if old.valid_from is None or old.valid_from <= old.valid_until else None
        batch.append(Licence(
            number=number, kind_id=kind.pk, business_id=old.business_id, sector_id=sector.pk if sector else None,
            item_codes=codes, items="、".join(ITEM_LABELS.get(c, c) for c in codes)[:500],
            issued_on=issued_on, valid_until=old.valid_until, status="valid",
        ))
        if len(batch) >= 5000:
            Licence.objects.bulk_create(batch)
            batch = []
    Licence.objects.bulk_create(batch)


def unfold(apps, schema_editor):
    Old = apps.get_model("equipment", "ProducerLicence")
    Licence = apps.get_model("licences", "Licence")
    rows = Licence.objects.filter(kind__code=KIND)
    Old.objects.bulk_create([
        Old(number=lic.number, business_id=lic.business_id, items=list(lic.item_codes or []), valid_from=lic.issued_on,
            valid_until=lic.valid_until or lic.issued_on)
        for lic in rows.order_by("pk") if lic.valid_until or lic.issued_on
    ])
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("equipment", "0005_exam_cover_index"),
        ("licences", "0003_fold_business_licences"),
    ]
    operations = [
        migrations.RunPython(fold, unfold),
        migrations.DeleteModel(name="ProducerLicence"),
    ]
