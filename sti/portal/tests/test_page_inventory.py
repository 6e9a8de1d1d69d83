"""Every page of the site is accounted for: a list or detail page has a query-count pin
(`assert_flat_queries` in its app's `tests/test_query_counts.py`); any other page says here
why it needs none. A new URL fails this test until it is classified (STYLE.md §13)."""

from django.urls import URLPattern, URLResolver, get_resolver

# List and detail pages (and the machine-readable lists) with a pin.
PINNED = {
    "portal:home",
    "portal:worklist",
    "portal:status",
    "core:audit",
    "core:jobs",
    "accounts:tokens",
    "search:search",
    "directory:organization_list",
    "directory:organization_detail",
    "directory:researcher_list",
    "directory:researcher_detail",
    "library:index",
    "library:collections",
    "library:collection",
    "library:authors",  # also the page of one author (?ten=)
    "library:browse",
    "library:document",
    "library:file_status",
    "library:my_deposits",
    "library:review_queue",
    "library:flagged_files",
    "library:usage_report",
    "oai",
    "sitemap",
    "projects:index",
    "projects:task_detail",
    "projects:council_detail",
    "projects:expert_history",
    "projects:registration_board",
    "projects:proposal_list",
    "projects:proposal_detail",
    "projects:catalogue_list",
    "training:course_list",
    "training:course_detail",
    "training:my_registrations",
    "training:course_registrations",
    "training:attendance",
    "training:statistics",
    "training:certificate_verify",
    "news:article_list",
    "news:article_detail",
    "news:category_list",
    "news:series_list",
    "news:series_detail",
    "news:issue_detail",
    "news:feed_rss",
    "news:series_rss",
    "alerts:index",
    "alerts:feed_rss",
    "alerts:feed_atom",
    "ip:filing_list",
    "ip:filing_detail",
    "servicedesk:request_list",
    "servicedesk:request_detail",
    "servicedesk:tracking",
    "servicedesk:statistics",
    "thesaurus:concept_list",
    "thesaurus:concept_detail",
    "stats:my_submissions",
    "stats:submission_detail",
    "stats:board",
    "stats:period_list",
    "harvest:union",
    "harvest:record",
    "harvest:source_list",
    "harvest:source",
    "harvest:partner_oai",
}

FORM = "a form page (its persona matrix or hand-written tests cover it)"
ACTION = "a POST action that redirects"
FILE = "a file download or export (tested by its app's export/exchange tests)"
AUTH = "Django's authentication views"
PARTIAL = "an htmx partial for one object"

NOT_PINNED = {
    "library:import_template": FILE,
    "projects:import_template": FILE,
    "search:reindex": ACTION,
    "core:job_retry": ACTION,
    "core:jobs_reap": ACTION,
    "accounts:login": AUTH,
    "accounts:logout": AUTH,
    "accounts:password_change": AUTH,
    "accounts:password_change_done": AUTH,
    "accounts:password_reset": AUTH,
    "accounts:password_reset_done": AUTH,
    "accounts:password_reset_confirm": AUTH,
    "accounts:password_reset_complete": AUTH,
    "directory:organization_create": FORM,
    "directory:organization_edit": FORM,
    "directory:organization_delete": FORM,
    "directory:organization_status": FORM,
    "directory:researcher_create": FORM,
    "directory:researcher_edit": FORM,
    "directory:researcher_delete": FORM,
    "directory:import_upload": FORM,
    "directory:import_template": FILE,
    "directory:import_preview": "an import preview of a staged file (bounded by the import limits)",
    "library:document_create": FORM,
    "library:document_edit": FORM,
    "library:file_upload": ACTION,
    "library:document_withdraw": ACTION,
    "library:review_document": ACTION,
    "library:resubmit": ACTION,
    "library:document_export": FILE,
    "library:file_download": FILE,
    "library:file_confirm": ACTION,
    "library:file_requeue": ACTION,
    "library:deposit": FORM,
    "library:batch_import": FORM,
    "library:marc_import": FORM,
    "library:export": FILE,
    "projects:task_create": FORM,
    "projects:task_edit": FORM,
    "projects:task_transition": ACTION,
    "projects:progress_check": FORM,
    "projects:acceptance": FORM,
    "projects:registration": FORM,
    "projects:application_add": FORM,
    "projects:publication_add": FORM,
    "projects:publication_edit": FORM,
    "projects:publication_delete": FORM,
    "ip:filing_create": FORM,
    "ip:filing_edit": FORM,
    "ip:filing_delete": FORM,
    "ip:filing_move": ACTION,
    "ip:filing_export": FILE,
    "ip:import_upload": FORM,
    "ip:import_template": FILE,
    "ip:import_preview": "an import preview of a staged file (bounded by the import limits)",
    "projects:council_recommend": "a form page; the slate is ranked in Python (test_councils)",
    "projects:conflict_mark": ACTION,
    "projects:evaluation_record": ACTION,
    "projects:proposal_create": FORM,
    "projects:proposal_edit": FORM,
    "projects:proposal_submit": ACTION,
    "projects:proposal_check": ACTION,
    "projects:proposal_check_status": PARTIAL,
    "projects:proposal_review": ACTION,
    "projects:catalogue_status": PARTIAL,
    "projects:catalogue_download": FILE,
    "projects:acceptance_minutes": FILE,
    "projects:registration_file": FILE,
    "projects:import": FORM,
    "projects:export_public": FILE,
    "projects:export_form": FILE,
    "training:course_create": FORM,
    "training:course_edit": FORM,
    "training:course_move": ACTION,
    "training:course_register": FORM,
    "training:registration_cancel": ACTION,
    "training:registration_cancel_link": FORM,
    "training:certificates_issue": ACTION,
    "training:registrations_export": FILE,
    "training:certificate_pdf": FILE,
    "news:feed_atom": "the same items and queries as news:feed_rss (pinned)",
    "news:category_rss": "news:feed_rss filtered by one category (one more query)",
    "news:category_atom": "news:feed_rss filtered by one category (one more query)",
    "news:series_atom": "the same items and queries as news:series_rss (pinned)",
    "news:article_export": FILE,
    "news:article_create": FORM,
    "news:article_edit": FORM,
    "news:article_move": ACTION,
    "news:article_image": FILE,
    "news:article_video": FILE,
    "news:category_create": FORM,
    "news:category_edit": FORM,
    "news:issue_create": FORM,
    "news:issue_edit": FORM,
    "news:issue_assemble": "a form page listing at most 25 recent records per item source",
    "news:issue_build": ACTION,
    "news:issue_publish": ACTION,
    "news:issue_file": FILE,
    "alerts:save": FORM,
    "alerts:follow": ACTION,
    "alerts:edit": FORM,
    "alerts:delete": FORM,
    "alerts:renew_feed_token": ACTION,
    "alerts:unsubscribe": "a confirmation page for one signed link (test_digests)",
    "servicedesk:request_create": FORM,
    "servicedesk:request_submitted": "the acknowledgement of one request (tests/test_intake)",
    "servicedesk:request_answer": FORM,
    "servicedesk:request_assign": ACTION,
    "servicedesk:request_move": ACTION,
    "servicedesk:request_note": ACTION,
    "servicedesk:request_link": ACTION,
    "servicedesk:request_unlink": ACTION,
    "servicedesk:request_message": ACTION,
    "servicedesk:request_rate": ACTION,
    "servicedesk:request_requester_move": ACTION,
    "servicedesk:tracking_message": ACTION,
    "servicedesk:tracking_rate": ACTION,
    "servicedesk:tracking_move": ACTION,
    "servicedesk:request_file": FILE,
    "servicedesk:tracking_file": FILE,
    "servicedesk:request_export": FILE,
    "servicedesk:statistics_export": FILE,
    "thesaurus:concept_create": FORM,
    "thesaurus:concept_edit": FORM,
    "thesaurus:concept_delete": FORM,
    "thesaurus:term_create": FORM,
    "thesaurus:term_edit": FORM,
    "thesaurus:term_delete": FORM,
    "thesaurus:export": FILE,
    "thesaurus:import_upload": FORM,
    "thesaurus:import_template": FILE,
    "thesaurus:import_preview": "the preview of one staged upload (tests/test_data_exchange)",
    "stats:submission_workbook": FILE,
    "stats:submission_upload": FORM,
    "stats:submission_submit": ACTION,
    "stats:submission_review": ACTION,
    "stats:version_compare": "two versions of one submission (stats/tests/test_submission)",
    "stats:period_assign": FORM,
    "stats:board_remind": ACTION,
    "stats:regime_list": "the few reporting regimes, one query",
    "stats:regime_detail": "the definition of one regime (stats/tests/test_regimes)",
    "stats:regime_edit": FORM,
    "harvest:source_create": FORM,
    "harvest:source_harvest": ACTION,
    "set_language": ACTION,
}

# The admin (back-office, Django's own code) and the API (its lists are pinned too, by path,
# in the apps' test_query_counts.py) are outside this inventory.
OUTSIDE = ("quan-tri/", "api/")


def site_pages() -> set[str]:
    names = set()

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(OUTSIDE):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_page_is_pinned_or_explained():
    pages = site_pages()
    unclassified = pages - PINNED - set(NOT_PINNED)
    assert not unclassified, (
        f"New pages {sorted(unclassified)}: give each list or detail page a query-count pin "
        "(sti.core.testing.assert_flat_queries) and add it to PINNED, or say in NOT_PINNED "
        "why it needs none."
    )
    stale = (PINNED | set(NOT_PINNED)) - pages
    assert not stale, f"Pages that no longer exist: {sorted(stale)}; remove them here."
    assert not PINNED & set(NOT_PINNED)
