"""Files stored while their rows are written go when the rows roll back: one home for it."""

import pathlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from promzona.applications import files

SRC = pathlib.Path(__file__).parents[2] / "src" / "promzona"


@pytest.mark.nodb
def test_stored_file_deletion_outside_files_module_is_absent():
    home = SRC / "applications" / "files.py"
    deleting = [f"{p.relative_to(SRC)}:{n}" for p in SRC.rglob("*.py") if p != home
                for n, line in enumerate(p.read_text().splitlines(), 1)
                if re.search(r"\.delete\(save=False\)|storage\.delete\(", line)]
    assert deleting == []


def test_block_that_fails_deletes_the_files_it_stored(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    with pytest.raises(RuntimeError), files.stored_with_rows() as stored:
        stored.append(default_storage.save("kept-or-not.txt", ContentFile(b"x")))
        raise RuntimeError("the rows roll back")
    assert list(tmp_path.iterdir()) == []


def test_block_that_succeeds_keeps_the_files_it_stored(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    with files.stored_with_rows() as stored:
        stored.append(default_storage.save("kept.txt", ContentFile(b"x")))
    assert [p.name for p in tmp_path.iterdir()] == ["kept.txt"]
