from ladders.pathmap import NODE_H, MapPosition, MapStep, layout


def pos(key, role="r", track=None, rank=1, title=None):
    return MapPosition(key, title or key, role, role.upper(), track, track or "", rank, f"/{key}/")


def test_higher_ranks_are_drawn_above_lower_ones():
    m = layout([pos("a", rank=1), pos("b", rank=2)], [MapStep("a", "b", "promotion")])
    y = {n.position.key: n.y for n in m.nodes}
    assert y["b"] < y["a"]
    assert len(m.edges) == 1 and m.edges[0].kind == "promotion"


def test_each_role_and_track_gets_its_own_column():
    m = layout(
        [pos("a"), pos("b", track="ic", rank=2), pos("c", track="mgr", rank=2), pos("d", role="x")],
        [],
    )
    assert len(m.columns) == 4
    assert len({n.x for n in m.nodes}) == 4


def test_two_way_steps_are_drawn_once_with_arrows_at_both_ends():
    steps = [MapStep("a", "b", "track_switch"), MapStep("b", "a", "track_switch")]
    m = layout([pos("a", track="ic", rank=2), pos("b", track="mgr", rank=2)], steps)
    assert len(m.edges) == 1 and m.edges[0].both_ways


def test_arrow_key_neighbours_skip_empty_cells():
    m = layout([pos("a", rank=1), pos("c", rank=3), pos("z", role="x", rank=3)], [])
    nodes = {n.position.key: n for n in m.nodes}
    assert nodes["a"].neighbours["up"] == "c"
    assert nodes["c"].neighbours["down"] == "a"
    assert nodes["c"].neighbours["right"] == "z"
    assert "left" not in nodes["c"].neighbours


def test_canvas_fits_every_node():
    m = layout([pos(f"p{i}", rank=i) for i in range(1, 6)], [])
    assert all(n.y + NODE_H <= m.height for n in m.nodes)
