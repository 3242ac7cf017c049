"""Run in a subprocess by tests/core/test_backup.py, against the database in DATABASE_URL:

- `build`: migrate, then a small demo district (the demo's own builders at a reduced size: every
  ledger has rows, the audit chain is long), one inspection photo under MEDIA_ROOT and an unconfirmed
  upload in MEDIA_ROOT/imports/ (transient staging, left out of backups);
- `ledgers OUTDIR`: `jianguan export` of every ledger into OUTDIR (one process for all seven), and a
  check of the attachments' files against the sha256 their rows hold, printed as JSON.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

LEDGERS = ("businesses", "subdistricts", "equipment", "producers", "inspections", "findings", "complaints")
# A JPEG's first bytes: enough for the attachment service's content sniffing.
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + "现场照片".encode() * 64


def build() -> None:
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import transaction

    from jianguan.core import audit
    from jianguan.demo import district, equipment, inspections
    from jianguan.demo.complaints import build_complaints, texts
    from jianguan.inspections.models import Inspection
    from jianguan.inspections.services.inspections import attachment_add

    # Demo accounts need no production work factor here (13 users and the inspectors).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    texts.SCALES["backup-test"] = 40
    with transaction.atomic():
        _, subdistricts, _ = district.build_org()
        district.build_businesses(subdistricts, 300, seed=5)
        with audit.chained_at_the_end():
            equipment.build_equipment(subdistricts, 60, 5)
            inspections.build_inspections(5)
            build_complaints(5, "backup-test")
    inspection = Inspection.objects.order_by("pk").first()
    upload = ContentFile(PHOTO, name="现场照片 1.jpg")
    attachment_add(actor=None, upload=upload, inspection=inspection)
    staging = Path(settings.MEDIA_ROOT) / "imports" / ("0" * 32)
    staging.mkdir(parents=True, exist_ok=True)
    (staging / "upload.csv").write_text("名称\n未确认的导入\n", encoding="utf-8")


def ledgers(outdir: str) -> None:
    from django.core.management import call_command

    from jianguan.inspections.models import Attachment

    for ledger in LEDGERS:
        call_command("export", ledger, str(Path(outdir) / f"{ledger}.xlsx"), stdout=open(os.devnull, "w"))
    files = {}
    for attachment in Attachment.objects.order_by("pk"):
        try:
            data = attachment.file.read()
            files[attachment.file.name] = hashlib.sha256(data).hexdigest() == attachment.sha256
        except FileNotFoundError:
            files[attachment.file.name] = False
    print(json.dumps({"attachments": files}, ensure_ascii=False))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    import django

    django.setup()
    if sys.argv[1] == "build":
        build()
    else:
        ledgers(sys.argv[2])
