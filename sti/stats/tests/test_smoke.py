from sti.stats import layout, services
from sti.stats.tests.conftest import personnel_values


def test_smoke(sub_a, reporter_a):
    grid = layout.build(sub_a.form)
    assert "02.01|qual.TS" in grid.cells
    issues = services.save_values(reporter_a, sub_a, personnel_values())
    assert [i for i in issues] == []
