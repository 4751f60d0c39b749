import datetime as dt
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from .factories import DocumentFactory


@pytest.mark.django_db
def test_purge_removes_files_without_a_document_and_keeps_the_others() -> None:
    document = DocumentFactory()
    orphan = f"dossiers/{document.dossier_id}/00000000-0000-4000-8000-000000000000.pdf"
    default_storage.save(orphan, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    out = StringIO()
    # A grace period of 0 hours is raised to 1: a file written this instant is never touched.
    call_command("purge_orphan_documents", "--older-than-hours", "0", stdout=out)
    assert default_storage.exists(orphan)
    from motcua.dossiers.documents import document_purge_orphans

    removed = document_purge_orphans(older_than=dt.timedelta(0), now=None)
    assert (
        orphan in removed
    )  # (files other tests left behind in the shared in-memory storage go too)
    assert not default_storage.exists(orphan)
    assert default_storage.exists(document.file.name)
    assert "0 orphan file(s) removed" in out.getvalue()
