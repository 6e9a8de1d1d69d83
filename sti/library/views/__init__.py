"""Pages of the digital library (thin: load, check access, call a service, render)."""

from sti.library.views.browse import (
    author_list,
    browse_facet,
    collection_detail,
    collection_list,
    index,
)
from sti.library.views.deposit import deposit_create, my_deposits, resubmit
from sti.library.views.editor import (
    document_create,
    document_edit,
    document_withdraw,
    file_confirm_quality,
    file_requeue,
    file_upload,
    flagged_files,
    ocr_page_accept,
    review_document,
    review_queue,
    usage_report,
)
from sti.library.views.imports import (
    batch_import,
    export_selection,
    import_template,
    marc_import,
)
from sti.library.views.item import document_detail, document_export, file_download, file_status

__all__ = [
    "author_list",
    "browse_facet",
    "collection_detail",
    "collection_list",
    "index",
    "document_create",
    "document_edit",
    "document_withdraw",
    "file_confirm_quality",
    "file_requeue",
    "file_upload",
    "flagged_files",
    "ocr_page_accept",
    "review_document",
    "review_queue",
    "usage_report",
    "deposit_create",
    "my_deposits",
    "resubmit",
    "batch_import",
    "import_template",
    "export_selection",
    "marc_import",
    "document_detail",
    "document_export",
    "file_download",
    "file_status",
]
