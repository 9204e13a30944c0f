"""The strategy list from build/strategies.json: order, flags, colors."""
import json

from mnbench import strategies


def test_the_list_gives_order_and_flags(strategy_list):
    listed = strategies.read_strategy_list(str(strategy_list))
    assert [n for n, _ in listed][:3] == ["invalidate_range", "mutex", "counter"]
    flags = dict(listed)
    assert strategies.has_flag(flags["unsafe"], "known_unsafe")
    assert not strategies.has_flag(flags["counter"], "known_unsafe")
    assert strategies.strategy_rank("mutex") < strategies.strategy_rank("counter")


def test_flags_in_either_spelling():
    assert strategies.has_flag({"known_unsafe"}, "MN_KNOWN_UNSAFE")
    assert strategies.has_flag({"MN_TEST_ONLY"}, "test_only")


def test_a_newer_list_is_read_leniently(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"schema_version": 99, "extra": 1,
                                "strategies": [{"name": "a", "more": 2}]}))
    assert strategies.read_strategy_list(str(path)) == [("a", set())]


def test_without_the_list_it_says_so(tmp_path, capsys):
    assert strategies.read_strategy_list(str(tmp_path / "none.json")) == []
    assert "cmake -S . -B build" in capsys.readouterr().err


def test_unlisted_strategies_come_last_by_name_with_a_color():
    s = strategies.Strategies([("counter", set()), ("newone", set())])
    assert s.rank("counter") < s.rank("newone") < s.rank("zzz")
    assert s.rank("aaa") < s.rank("zzz")
    assert s.color("counter") == strategies.ASSIGNED_COLORS["counter"]
    assert s.color("newone") == strategies.FALLBACK_COLORS[0]
    assert s.color("zzz") in strategies.FALLBACK_COLORS
