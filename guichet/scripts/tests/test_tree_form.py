"""The node-by-node editor's conversions: a tree <-> the flat fields its form posts."""

import pytest
from django.utils import translation

from guichet.scripts import seed, tree, tree_form
from guichet.scripts.tests.factories import small_tree, text


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def posted(definition: dict, **changes: str) -> dict:
    """What the browser posts for the tree as drawn (blank rows included), with `changes`."""
    data = tree_form.data_of_rows(tree_form.for_display(tree_form.rows_of_tree(definition)))
    return data | changes


def round_trip(data: dict) -> dict:
    return tree_form.tree_of_rows(tree_form.rows_of_data(data))


def index_of(data: dict, node_id: str) -> int:
    return next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-id") and v == node_id)


@pytest.mark.parametrize("document", seed.documents(), ids=lambda d: d["code"])
def test_every_seed_script_comes_back_exactly(document):
    # given
    definition = tree.tree_of(document)
    # when
    back = round_trip(posted(definition))
    # then
    assert back == definition
    assert tree.validate(back) == []


def test_the_form_writes_a_tree_the_editor_normalises_once():
    definition = small_tree(impact=2, urgency=5, article=12, solve=text("Fait", "Done"))
    back = round_trip(posted(definition))
    assert back["nodes"]["fixed"]["actions"] == definition["nodes"]["fixed"]["actions"]
    # an outcome without actions carries no empty "actions"
    assert "actions" not in round_trip(posted(small_tree()))["nodes"]["fixed"]
    assert tree_form.canonical(small_tree()) == round_trip(posted(small_tree()))


def test_renaming_a_node_renames_the_answers_the_next_and_the_start_that_led_to_it():
    definition = small_tree()
    data = posted(definition)
    data[f"n-{index_of(data, 'link')}-id"] = "light"
    data[f"n-{index_of(data, 'gateway')}-id"] = "router"
    back = round_trip(data)
    assert back["start"] == "light"
    assert set(back["nodes"]) == {"light", "restart", "router", "fixed", "cable"}
    assert back["nodes"]["restart"]["next"] == "router"
    assert [a["next"] for a in back["nodes"]["router"]["answers"]] == ["fixed", "light"]
    assert tree.validate(back) == []


def test_two_nodes_swapping_ids_keep_their_branches():
    data = posted(small_tree())
    fixed, cable = index_of(data, "fixed"), index_of(data, "cable")
    data[f"n-{fixed}-id"], data[f"n-{cable}-id"] = "cable", "fixed"
    back = round_trip(data)
    assert back["nodes"]["link"]["answers"][1]["next"] == "fixed"  # was "cable"
    assert back["nodes"]["fixed"]["text"]["en"] == "Cable to replace"


def test_a_removed_node_and_a_removed_answer_are_left_out():
    data = posted(small_tree())
    link = index_of(data, "link")
    data[f"n-{link}-a-1-remove"] = "on"  # "No" → cable
    data[f"n-{index_of(data, 'cable')}-remove"] = "on"
    back = round_trip(data)
    assert "cable" not in back["nodes"]
    assert [a["text"]["en"] for a in back["nodes"]["link"]["answers"]] == ["Yes"]
    assert tree.validate(back) == []


def test_a_removed_node_still_named_by_an_answer_is_reported_by_validation():
    data = posted(small_tree())
    data[f"n-{index_of(data, 'cable')}-remove"] = "on"
    errors = tree.validate(round_trip(data))
    assert "Node “link”, answer 2: leads to “cable”, which does not exist." in errors


def test_blank_rows_are_ignored_and_filled_ones_added():
    data = posted(small_tree())
    rows = tree_form.rows_of_data(data)
    assert sum(1 for row in rows.nodes if row.is_blank()) == 1  # the "new node" row
    assert round_trip(data) == tree_form.canonical(small_tree())
    new = len(rows.nodes) - 1
    link = index_of(data, "link")
    data |= {
        f"n-{new}-id": "maybe", f"n-{new}-kind": "outcome", f"n-{new}-text_en": "Not sure",
        f"n-{link}-a-2-text_en": "Not sure", f"n-{link}-a-2-next": "maybe",
    }  # fmt: skip
    back = round_trip(data)
    assert back["nodes"]["maybe"] == {"kind": "outcome", "text": {"fr": "", "en": "Not sure"}}
    assert back["nodes"]["link"]["answers"][2] == {
        "text": {"fr": "", "en": "Not sure"}, "next": "maybe"}  # fmt: skip
    assert tree.validate(back) == []


def test_missing_fields_and_stray_keys_give_a_tree_that_validation_judges():
    data = {"n-3-id": "a", "n-3-text_en": "Hi", "n-x-id": "b", "n-0-a-0-bogus": "x", "zz": "1"}
    back = round_trip(data)
    assert back == {"start": "", "nodes": {"a": {"kind": "", "text": {"fr": "", "en": "Hi"}}}}
    assert tree.validate(back)  # a list of messages, never an exception


def test_values_tree_refuses_are_passed_as_typed_so_validation_names_them():
    data = posted(small_tree())
    fixed = index_of(data, "fixed")
    data |= {f"n-{fixed}-impact": "9", f"n-{fixed}-type": "bug", f"n-{fixed}-article": "kb-1"}
    actions = round_trip(data)["nodes"]["fixed"]["actions"]
    assert actions == {"impact": "9", "type": "bug", "article": "kb-1"}
    errors = tree.validate(round_trip(data))
    assert "Node “fixed”: “impact” must be a whole number from 1 to 5." in errors
    assert "Node “fixed”: “type” must be “incident” or “request”." in errors


def test_line_breaks_from_the_browser_and_spaces_around_values_are_normalised():
    data = posted(small_tree())
    link = index_of(data, "link")
    data[f"n-{link}-text_en"] = "  Is the link light on?\r\nLook at the back.  "
    assert (
        round_trip(data)["nodes"]["link"]["text"]["en"]
        == "Is the link light on?\nLook at the back."
    )


def test_rows_are_capped_at_the_most_a_valid_script_needs():
    too_many_nodes = {f"n-{i}-id": f"x{i}" for i in range(tree_form.NODE_ROWS_MAX + 1)}
    with pytest.raises(tree_form.TooManyRows, match="at most 200"):
        tree_form.rows_of_data(too_many_nodes)
    too_many_answers = {f"n-0-a-{j}-next": "x" for j in range(tree_form.ANSWER_ROWS_MAX + 1)}
    with pytest.raises(tree_form.TooManyRows, match="too many answers: at most 12"):
        tree_form.rows_of_data(too_many_answers)
    # absurd indexes are rows like any other, read in order
    rows = tree_form.rows_of_data(
        {"n-999999999-id": "b", "n-7-id": "a", "n-1" + "0" * 40 + "-id": "c"}
    )
    assert [row.id for row in rows.nodes] == ["a", "b"]


def test_the_display_adds_blank_rows_within_the_caps():
    rows = tree_form.for_display(tree_form.rows_of_tree(small_tree()), blank_nodes=3)
    assert [row.id for row in rows.nodes] == ["link", "restart", "gateway", "fixed", "cable"] + [
        "", "", ""]  # fmt: skip
    link, restart = rows.nodes[0], rows.nodes[1]
    assert len(link.answers) == 2 + tree_form.BLANK_ANSWERS
    assert restart.answers == []  # an instruction draws no answer rows
    many = {"start": "n0", "nodes": {f"n{i}": {"kind": "outcome"} for i in range(200)}}
    shown = tree_form.for_display(tree_form.rows_of_tree(many), blank_nodes=5)
    assert len(shown.nodes) == tree_form.NODE_ROWS_MAX


def test_rows_without_an_id_or_with_the_same_id_are_problems():
    data = posted(small_tree())
    data[f"n-{index_of(data, 'cable')}-id"] = "fixed"
    data[f"n-{index_of(data, 'restart')}-id"] = ""
    rows = tree_form.rows_of_data(data)
    assert [message for _index, message in tree_form.problems(rows)] == [
        "Node number 2 has no id.",
        "Node “fixed”: more than one node has this id.",
    ]


def test_messages_are_placed_on_the_node_and_the_answer_they_name():
    answers = [{"text": text(str(n)), "next": "fixed"} for n in range(12)]
    definition = small_tree()
    definition["nodes"]["link"]["answers"] = answers
    rows = tree_form.rows_of_tree(definition)
    placed = tree_form.place(
        [
            "Node “link”, answer 12: leads to “x”, which does not exist.",
            "Node “link”, answer 1: the text is empty in both languages.",
            "Node “fixed” cannot be reached from the start.",
            "The start “x” is not one of the nodes.",
        ],
        rows,
    )
    assert placed == {
        (0, 11): ["Node “link”, answer 12: leads to “x”, which does not exist."],
        (0, 0): ["Node “link”, answer 1: the text is empty in both languages."],
        (3, None): ["Node “fixed” cannot be reached from the start."],
    }
