"""`fewer_collections`: rarer young collections inside, the collector as it was after."""

import gc

from sti.core.gcpause import BULK_THRESHOLD, fewer_collections


def test_rarer_collections_inside_and_settings_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == BULK_THRESHOLD
        assert gc.get_freeze_count() > 0  # what lived before is out of the collector's sight
        with fewer_collections():  # nested: the outer settings stay
            assert gc.get_threshold()[0] == BULK_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_inside_are_still_collected():
    class Node:
        pass

    with fewer_collections(threshold=1_000):
        for _ in range(5_000):  # cycles only the collector can free
            a, b = Node(), Node()
            a.other, b.other = b, a
        alive = sum(isinstance(o, Node) for o in gc.get_objects())
    assert alive < 5_000  # collected along the way, not held until the end


def test_a_disabled_collector_is_left_alone():
    gc.disable()
    try:
        with fewer_collections():
            assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
