"""The tree's validation: every kind of error names its node; valid trees round-trip."""

import json

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.scripts import tree
from guichet.scripts.tests.factories import small_tree, text


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are checked in English (the default language is French)."""
    with translation.override("en"):
        yield


def test_the_messages_are_translated():
    with translation.override("fr"):
        assert "Le départ « nowhere » n’est pas l’un des nœuds." in tree.validate(
            {"start": "nowhere", "nodes": {"a": {"kind": "outcome", "text": {"fr": "x"}}}}
        )


def errors_of(definition) -> str:
    return "\n".join(tree.validate(definition))


def test_a_sound_tree_has_no_error():
    assert tree.validate(small_tree(category="network-access", impact=2, solve=text("ok"))) == []


def test_a_missing_start_is_named():
    definition = small_tree()
    definition["start"] = "nowhere"
    assert "The start “nowhere” is not one of the nodes." in errors_of(definition)


def test_an_answer_leading_nowhere_names_node_and_answer():
    definition = small_tree()
    definition["nodes"]["gateway"]["answers"][1]["next"] = "dns2"
    assert "Node “gateway”, answer 2: leads to “dns2”, which does not exist." in errors_of(
        definition
    )


def test_an_instruction_without_next_is_named():
    definition = small_tree()
    del definition["nodes"]["restart"]["next"]
    assert "Node “restart”: leads to “None”, which does not exist." in errors_of(definition)


def test_an_outcome_with_a_next_is_refused():
    definition = small_tree()
    definition["nodes"]["fixed"]["next"] = "link"
    assert "Node “fixed”: an outcome ends the script (no next)." in errors_of(definition)


def test_a_question_needs_an_answer():
    definition = small_tree()
    definition["nodes"]["link"]["answers"] = []
    assert "Node “link”: needs at least one answer." in errors_of(definition)


def test_an_unreachable_node_is_named():
    definition = small_tree()
    definition["nodes"]["orphan"] = {"kind": "outcome", "text": text("Seul")}
    assert "Node “orphan” cannot be reached from the start." in errors_of(definition)


def test_a_loop_without_exit_is_named():
    definition = small_tree()
    definition["nodes"]["loop"] = {"kind": "instruction", "text": text("Encore"), "next": "loop"}
    definition["nodes"]["link"]["answers"].append({"text": text("Peut-être"), "next": "loop"})
    assert "Node “loop” never leads to an outcome (a loop without exit)." in errors_of(definition)


def test_a_loop_with_an_exit_is_fine():
    # gateway → "No" goes back to link, which can still reach an outcome.
    assert tree.validate(small_tree()) == []


def test_texts_empty_in_both_languages_or_too_long_are_named():
    definition = small_tree()
    definition["nodes"]["link"]["text"] = {"fr": "", "en": " "}
    definition["nodes"]["cable"]["text"] = {"fr": "x" * (tree.TEXT_MAX + 1)}
    found = errors_of(definition)
    assert "Node “link”: the text is empty in both languages." in found
    assert f"Node “cable”: the text is longer than {tree.TEXT_MAX} characters." in found


def test_a_text_in_one_language_only_is_enough():
    definition = small_tree()
    definition["nodes"]["link"]["text"] = {"fr": "", "en": "Is the light on?"}
    assert tree.validate(definition) == []


def test_unsafe_node_ids_are_refused():
    definition = small_tree()
    definition["nodes"]["Bad Id!"] = definition["nodes"].pop("cable")
    definition["nodes"]["link"]["answers"][1]["next"] = "Bad Id!"
    assert "Node “Bad Id!”: an id is lowercase letters" in errors_of(definition)


def test_bad_outcome_actions_are_named():
    definition = small_tree(impact=9, type="problem", visit="yes", colour="red", category="")
    found = errors_of(definition)
    assert "Node “fixed”: “impact” must be a whole number from 1 to 5." in found
    assert "Node “fixed”: “type” must be “incident” or “request”." in found
    assert "Node “fixed”: “visit” must be true or false." in found
    assert "Node “fixed”: unknown action “colour”." in found
    assert "Node “fixed”: “category” must be a code, a name or a number." in found


def test_an_unknown_kind_is_named():
    definition = small_tree()
    definition["nodes"]["cable"]["kind"] = "maybe"
    assert "Node “cable”: the kind must be question" in errors_of(definition)


def test_too_many_nodes_or_too_large_are_refused():
    nodes = {f"n{i}": {"kind": "outcome", "text": text("x")} for i in range(tree.MAX_NODES + 1)}
    assert "at most" in errors_of({"start": "n0", "nodes": nodes})
    huge = small_tree()
    huge["nodes"]["link"]["help"] = {"fr": "x" * (tree.SIZE_MAX + 1)}
    assert "too large" in errors_of(huge)


def test_not_an_object_is_refused():
    assert tree.validate([1, 2]) != []
    assert tree.validate({"start": "a", "nodes": []}) != []


def test_parse_refuses_malformed_text_clearly():
    with pytest.raises(tree.TreeError, match="Not valid JSON or YAML"):
        tree.parse("start: [unclosed")
    with pytest.raises(tree.TreeError, match="must be an object"):
        tree.parse("- just\n- a list\n")
    with pytest.raises(tree.TreeError, match="too large"):
        tree.parse(" " * (tree.SIZE_MAX + 1))


# --- Property: random valid trees validate and survive JSON and YAML --------------------------

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                min_size=1, max_size=30).filter(str.strip)  # fmt: skip


@st.composite
def valid_trees(draw):
    """A layered tree: each node leads to the next one and maybe to later ones, the last ones
    are outcomes, and the start (a question) also leads to every outcome, so every node is
    reachable and reaches an outcome."""
    count = draw(st.integers(min_value=1, max_value=10))  # ≤ 12 answers at the start
    ids = [f"n{i}" for i in range(count)]
    outcomes = 1 if count == 1 else draw(st.integers(min_value=1, max_value=count - 1))
    first_outcome = count - outcomes
    nodes: dict = {}
    for i, nid in enumerate(ids):
        label = {"fr": draw(words), "en": draw(st.one_of(st.just(""), words))}
        if i >= first_outcome:
            actions = draw(st.fixed_dictionaries({}, optional={
                "impact": st.integers(1, 5), "type": st.sampled_from(["incident", "request"]),
                "visit": st.booleans(), "solve": st.just({"fr": "ok", "en": "ok"})}))  # fmt: skip
            nodes[nid] = {"kind": "outcome", "text": label, "actions": actions}
            continue
        later = ids[i + 1 :]
        targets = [later[0], *draw(st.lists(st.sampled_from(later), max_size=3))]
        if i > 0 and len(targets) == 1 and draw(st.booleans()):
            nodes[nid] = {"kind": "instruction", "text": label, "next": targets[0]}
        else:
            kind = draw(st.sampled_from(["question", "check"]))
            answers = [{"text": {"fr": draw(words), "en": ""}, "next": t} for t in targets]
            nodes[nid] = {"kind": kind, "text": label, "answers": answers}
    if first_outcome > 0:
        for nid in ids[first_outcome + 1 :]:
            nodes[ids[0]]["answers"].append({"text": {"fr": "fin", "en": ""}, "next": nid})
    return {"start": ids[0], "nodes": nodes}


@settings(max_examples=150, deadline=None)
@given(valid_trees())
def test_random_valid_trees_validate_and_round_trip(definition):
    assert tree.validate(definition) == []
    assert tree.parse(tree.dump(definition, "json"), "json") == definition
    assert tree.parse(tree.dump(definition, "yaml"), "yaml") == definition
    assert json.loads(tree.dump(definition)) == definition


@settings(max_examples=100, deadline=None)
@given(valid_trees(), st.data())
def test_breaking_a_link_in_a_valid_tree_names_that_node(definition, data):
    linked = [nid for nid, n in definition["nodes"].items() if n["kind"] != "outcome"]
    if not linked:
        return
    nid = data.draw(st.sampled_from(linked))
    node = definition["nodes"][nid]
    if node["kind"] == "instruction":
        node["next"] = "missing"
        expected = f"Node “{nid}”: leads to “missing”"
    else:
        node["answers"][0]["next"] = "missing"
        expected = f"Node “{nid}”, answer 1: leads to “missing”"
    assert expected in errors_of(definition)
