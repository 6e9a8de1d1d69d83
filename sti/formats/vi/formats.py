"""Vietnamese formats: Django's, plus digit grouping by thousands (Django's Vietnamese
formats name a thousand separator but no grouping, so `intcomma` printed 1550000000 đ
where a reader expects 1.550.000.000 đ)."""

from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
