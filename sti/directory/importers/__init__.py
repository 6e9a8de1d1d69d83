"""Import organizations and researchers from Excel (.xlsx).

Two steps: the upload is checked (size, real xlsx content), stashed under
`DATA_DIR/imports/<uuid>.xlsx` with the uploader's id, and every row is validated through the
editor forms; the preview lists the rows to create or update and every error ("Dòng 7: …").
On confirmation the stashed file is validated again and, only if no row is wrong, written
in one transaction (`services.apply_import`).
"""

from sti.directory.importers.base import MAX_ROWS, BaseImporter, ImportResult, RowError
from sti.directory.importers.organizations import OrganizationImporter
from sti.directory.importers.researchers import ResearcherImporter
from sti.directory.importers.upload import (
    MAX_UPLOAD_BYTES,
    check_upload,
    discard_stash,
    load_stash,
    stash_upload,
)

__all__ = [
    "IMPORTERS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "BaseImporter",
    "ImportResult",
    "OrganizationImporter",
    "ResearcherImporter",
    "RowError",
    "check_upload",
    "discard_stash",
    "load_stash",
    "stash_upload",
]

IMPORTERS: dict[str, type[BaseImporter]] = {
    OrganizationImporter.slug: OrganizationImporter,
    ResearcherImporter.slug: ResearcherImporter,
}
