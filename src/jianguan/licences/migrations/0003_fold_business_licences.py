"""The licences the business register kept (kind, number, valid from/to) move into the licence register, each
with the kind of the same code, issued on its first valid day; the old table goes in businesses 0009."""

from django.db import migrations


def fold(apps, schema_editor):
    Old = apps.get_model("businesses", "Licence")
    Licence = apps.get_model("licences", "Licence")
    kinds = dict(apps.get_model("licences", "LicenceKind").objects.values_list("code", "pk"))
    taken = set(Licence.objects.values_list("number", flat=True))
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=5000):
        number = old.number.strip().upper()
        if number in taken:  # numbers were unique per kind only: keep both, the second marked by its kind
            number = f"{number}-{old.kind}"
        taken.add(number)
        batch.append(Licence(number=number, kind_id=kinds.get(old.kind, kinds["other"]), business_id=old.business_id,
                             issued_on=old.valid_from, valid_until=old.valid_to, status="valid"))
        if len(batch) >= 5000:
            Licence.objects.bulk_create(batch)
            batch = []
    Licence.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("licences", "0002_seed"), ("businesses", "0008_business_updated_index")]
    operations = [migrations.RunPython(fold, migrations.RunPython.noop)]
