"""The expansion registry: strongest alternative kept, weights bounded, nothing without an
expander."""

import pytest

from sti.core import expansion
from sti.core.expansion import Expansion


@pytest.fixture(autouse=True)
def only_these_expanders(monkeypatch):
    """The registry as the tests fill it, without the installed apps' expanders."""
    monkeypatch.setattr(expansion, "_expanders", {})


@pytest.fixture
def two_expanders():
    expansion.register_expander(
        "a", lambda text: [Expansion("bắp", "ngô", 0.5), Expansion("bắp", "bad", 1.0)]
    )
    expansion.register_expander("b", lambda text: [Expansion("bắp", "Ngô", 0.7, "b")])
    yield
    expansion.unregister_expander("a")
    expansion.unregister_expander("b")


def test_no_expander_means_no_expansion():
    assert expansion.expansions("bắp") == []


def test_strongest_alternative_kept_and_weights_bounded(two_expanders):
    found = expansion.expansions("bắp lai")
    assert [(item.alternative, item.weight) for item in found] == [("Ngô", 0.7)]


def test_a_key_registers_once(two_expanders):
    with pytest.raises(ValueError):
        expansion.register_expander("a", lambda text: [])
