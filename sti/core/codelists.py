"""Load the versioned code lists from `sti/core/data/*.json` (called by a data migration),
and remember what pages read of them (`remembered`).

Loading is idempotent: running it again updates names and adds new codes, so a new version
of a list (e.g. TT 24/2025's field classification) is added by dropping in a JSON file and
a migration that calls `load_all`.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.utils.translation import get_language

DATA_DIR = Path(__file__).parent / "data"
CODELIST_MODELS = {"codelistversion", "fieldofscience", "tasklevel", "adminunit"}
# How long a process keeps what it read of a code list. A change made in this process (the
# admin, a migration) forgets it at once; another web worker sees it after at most this long.
REMEMBER_SECONDS = 60.0

T = TypeVar("T")
_remembered: dict[tuple, tuple[float, object]] = {}


def remembered(key: tuple, build: Callable[[], T]) -> T:
    """`build()`'s value for `key` in the current language, read once per REMEMBER_SECONDS
    by this process: the choices and labels of the S&T fields, task levels and administrative
    units that every list page and filter shows (hundreds of rows) cost no query. Callers
    get their own copy to change."""
    full_key = (*key, get_language())
    now = time.monotonic()
    hit = _remembered.get(full_key)
    if hit is None or hit[0] <= now:
        hit = (now + REMEMBER_SECONDS, build())
        _remembered[full_key] = hit
    return copy.copy(hit[1])


def forget(sender=None, **_kwargs) -> None:
    """Drop what was remembered (connected to saves and deletions of the code-list models,
    historical models of migrations included)."""
    if sender is None or (
        sender._meta.app_label == "core" and sender._meta.model_name in CODELIST_MODELS
    ):
        _remembered.clear()


def _read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _version(apps, spec: dict):
    CodeListVersion = apps.get_model("core", "CodeListVersion")
    version, _ = CodeListVersion.objects.update_or_create(
        list_name=spec["list_name"],
        version=spec["version"],
        defaults={
            "legal_basis": spec.get("legal_basis", ""),
            "valid_from": spec.get("valid_from"),
            "valid_until": spec.get("valid_until"),
            "is_current": spec.get("is_current", False),
        },
    )
    return version


def load_fields(apps, filename: str) -> None:
    FieldOfScience = apps.get_model("core", "FieldOfScience")
    spec = _read(filename)
    version = _version(apps, spec)
    by_code = {}
    # Parents come before children once sorted by code length.
    for code, name, name_en in sorted(spec["items"], key=lambda item: (len(item[0]), item[0])):
        parent = None
        for length in (5, 3, 1):
            if len(code) > length and code[:length] in by_code:
                parent = by_code[code[:length]]
                break
        field, _ = FieldOfScience.objects.update_or_create(
            version=version,
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "level": {1: 1, 3: 2, 5: 3, 7: 4}[len(code)],
                "parent": parent,
            },
        )
        by_code[code] = field


def load_task_levels(apps) -> None:
    TaskLevel = apps.get_model("core", "TaskLevel")
    spec = _read("task_levels.json")
    version = _version(apps, spec)
    for order, (code, name, name_en, legacy) in enumerate(spec["items"]):
        TaskLevel.objects.update_or_create(
            version=version,
            code=code,
            defaults={"name": name, "name_en": name_en, "order": order, "is_legacy": legacy},
        )


def load_admin_units(apps) -> None:
    AdminUnit = apps.get_model("core", "AdminUnit")
    spec = _read("admin_units.json")
    created = {}
    for version_spec in spec["versions"]:
        version = _version(apps, version_spec)
        for code, name, kind, parent_code, _merged in version_spec["items"]:
            unit, _ = AdminUnit.objects.update_or_create(
                version=version,
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "parent": created.get((version.version, parent_code)),
                    "valid_until": version_spec.get("valid_until"),
                },
            )
            created[(version.version, code)] = unit
    # The 2025 merger: every pre-2025 unit maps to its unit in the new city.
    for version_spec in spec["versions"]:
        for code, _name, _kind, _parent, merged_code in version_spec["items"]:
            if merged_code and version_spec["version"] != "2025":
                unit = created[(version_spec["version"], code)]
                unit.merged_into = created.get(("2025", merged_code))
                unit.save(update_fields=["merged_into"])


def load_all(apps, schema_editor=None) -> None:
    load_fields(apps, "fields_qd12_2008.json")
    load_task_levels(apps)
    load_admin_units(apps)
