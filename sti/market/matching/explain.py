"""A match's explanation in words (pages, e-mails, the API): one sentence per reason."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RELATIONS = {
    "synonym": gettext_lazy("đồng nghĩa"),
    "regional": gettext_lazy("từ địa phương"),
    "scientific": gettext_lazy("tên khoa học"),
    "abbreviation": gettext_lazy("viết tắt"),
    "english": gettext_lazy("thuật ngữ tiếng Anh"),
    "symptom": gettext_lazy("triệu chứng → nguyên nhân"),
}


def _million(vnd: int) -> str:
    return f"{vnd / 1_000_000:,.0f}".replace(",", ".")


def _fit_word(fit) -> str:
    if fit.fit is None:
        return ""
    if fit.fit >= 1:
        return _("phù hợp")
    return _("gần phù hợp") if fit.fit > 0 else _("chưa phù hợp")


def reasons(match) -> list[str]:
    """The sentences explaining a `records.Match`."""
    out = []
    if match.shared:
        out.append(_("Cùng từ: %(terms)s.") % {"terms": ", ".join(match.shared)})
    thesaurus = [e for e in match.expanded if e.source != "corpus"]
    corpus = [e for e in match.expanded if e.source == "corpus"]
    if thesaurus:
        parts = [
            _("“%(term)s” → “%(alternative)s” (%(relation)s)")
            % {
                "term": e.term,
                "alternative": e.alternative,
                "relation": RELATIONS.get(e.relation, e.relation or e.source),
            }
            for e in thesaurus
        ]
        out.append(_("Từ điển đồng nghĩa: %(items)s.") % {"items": "; ".join(parts)})
    if corpus:
        out.append(
            _("Từ mở rộng nhờ tài liệu gần nhất (%(titles)s): %(terms)s.")
            % {
                "titles": corpus[0].relation[:160],
                "terms": ", ".join(e.alternative for e in corpus),
            }
        )
    fit = match.field_fit
    if fit and fit.query_field:
        if fit.fit >= 1:
            text = _("Cùng lĩnh vực %(field)s") % {"field": fit.match_field}
        elif fit.fit > 0:
            text = _("Lĩnh vực gần (%(query)s / %(match)s)") % {
                "query": fit.query_field,
                "match": fit.match_field,
            }
        else:
            text = _("Khác lĩnh vực (%(query)s / %(match)s)") % {
                "query": fit.query_field,
                "match": fit.match_field or "—",
            }
        if fit.inferred:
            text += _(" (lĩnh vực của nhu cầu suy ra từ nội dung, độ tin cậy %(p)d%%)") % {
                "p": round(fit.confidence * 100)
            }
        out.append(text + ".")
    trl = match.trl_fit
    if trl and trl.offered:
        if trl.wanted:
            out.append(
                _("TRL %(offered)s so với mong muốn %(wanted)s: %(fit)s.")
                % {"offered": trl.offered, "wanted": trl.wanted, "fit": _fit_word(trl)}
            )
        else:
            out.append(_("Mức sẵn sàng công nghệ TRL %(offered)s.") % {"offered": trl.offered})
    budget = match.budget_fit
    if budget and budget.offered and budget.wanted:
        out.append(
            _("Giá %(price)s triệu đồng, kinh phí đến %(budget)s triệu đồng: %(fit)s.")
            % {
                "price": _million(budget.offered),
                "budget": _million(budget.wanted),
                "fit": _fit_word(budget),
            }
        )
    elif budget and budget.wanted is not None and not budget.offered:
        out.append(_("Giá thỏa thuận."))
    return out
