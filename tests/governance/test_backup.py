"""make backup / make restore: a backup restored into an empty database has every
matter, every timeline event and every uploaded file, byte for byte."""
import hashlib
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from governance.backup import BackupError, Target, backup, restore
from governance.cases.services import case_change_status
from governance.models import Case, CaseEvent, Category, Region, User
from intake.models import Attachment
from intake.services import intake_register
from tests.factories import png_bytes

VILLAGE = "339901001001"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def admin_connection(dbname="postgres"):
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname=dbname, user=db["USER"], host=db["HOST"], port=db["PORT"])
    conn.autocommit = True
    return conn


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_every_matter_event_and_file(
        demo_transactional, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = User.objects.get(username="clerk")
    for n in range(3):
        case = intake_register(
            actor=clerk, channel="walk_in", kind="dispute", category=Category.objects.get(code="neighbourhood"),
            region=Region.objects.get(code=VILLAGE), narrative=f"备份测试事项{n}：邻居漏水",
            parties=[{"role": "applicant", "name": f"王{n}", "id_number": "11010519491231002X",
                      "phone": "13812345678"}],
            attachments=[SimpleUploadedFile(f"现场{n}.png", png_bytes(color=(n * 40, 90, 90))),
                         SimpleUploadedFile(f"材料{n}.pdf", PDF)])
    case_change_status(case_id=case.pk, actor=User.objects.get(username="admin"), action="accept", note="")
    expected_cases = dict(Case.objects.values_list("number", "narrative"))
    expected_events = CaseEvent.objects.count()
    files = {a.file.name: hashlib.sha256(Path(a.file.path).read_bytes()).hexdigest()
             for a in Attachment.objects.all()}
    assert len(files) == 6

    folder = backup(tmp_path / "backup")
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    admin = admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = settings.DATABASES["default"]
    target = Target(str(db["HOST"]), str(db["PORT"]), db["USER"], db.get("PASSWORD") or "", name)
    try:
        restored_media = tmp_path / "restored-media"
        manifest = restore(folder, target=target, media_root=restored_media)
        assert manifest["cases"] == len(expected_cases) and manifest["events"] == expected_events
        check = admin_connection(name)
        with check.cursor() as cursor:
            cursor.execute("SELECT number, narrative FROM governance_case")
            assert dict(cursor.fetchall()) == expected_cases
            cursor.execute("SELECT count(*) FROM governance_caseevent")
            assert cursor.fetchone()[0] == expected_events
            cursor.execute("SELECT file FROM intake_attachment")
            names = {row[0] for row in cursor.fetchall()}
            # The timeline stays append-only after a restore: its trigger came back too.
            with pytest.raises(psycopg2.Error):
                cursor.execute("DELETE FROM governance_caseevent")
        check.close()
        assert names == set(files)
        for file_name, digest in files.items():
            assert hashlib.sha256((restored_media / file_name).read_bytes()).hexdigest() == digest
        # A restore never mixes two states: the same database again is refused.
        with pytest.raises(BackupError, match="not empty"):
            restore(folder, target=target, media_root=tmp_path / "again")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
