"""The search index's status check, registered in `SearchConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sti.core.registries import ERROR, OK, Check


def search_index() -> list[Check]:
    """Per type: records missing from the index, documents left over, records that failed."""
    from sti.search.registry import all_specs
    from sti.search.services import coverage

    checks = []
    for spec in all_specs():
        label = _("Chỉ mục: %(label)s") % {"label": spec.label}
        try:
            found = coverage(spec.type)
        except Exception as error:  # noqa: BLE001 — the page must show it, not crash
            checks.append(Check(label, ERROR, str(error)))
            continue
        detail = _("%(indexed)s trong chỉ mục / %(stored)s trong cơ sở dữ liệu") % {
            "indexed": f"{found.indexed:,}",
            "stored": f"{found.stored:,}",
        }
        problems = []
        if found.missing_count:
            problems.append(
                _("thiếu %(n)s bản ghi (%(keys)s)")
                % {"n": found.missing_count, "keys": ", ".join(found.missing)}
            )
        if found.extra:
            problems.append(_("thừa %(n)s bản ghi đã xóa") % {"n": found.extra})
        if found.failures:
            problems.append(
                _("%(n)s bản ghi không lập chỉ mục được: %(errors)s")
                % {
                    "n": len(found.failures),
                    "errors": "; ".join(
                        f"#{failure.pk_value} {failure.error[:120]}"
                        for failure in found.failures[:5]
                    ),
                }
            )
        if not problems:
            checks.append(Check(label, OK, detail))
            continue
        checks.append(
            Check(
                label,
                ERROR,
                f"{detail} — {'; '.join(problems)}",
                repair_url=reverse("search:reindex", args=[spec.type]),
                repair_command=f"sti reindex {spec.type}",
            )
        )
    return checks
