"""The organisation tree: everything linked under an account, breadth first
in sort order; the chain of parents; loops in the data stop the walk."""

from hypothesis import given
from hypothesis import strategies as st

from civichall.accounts import tree
from civichall.accounts.models import Organisation


def test_linked_organisations_breadth_first_in_sort_order(make_org):
    city = make_org("shanghai", kind="municipal")
    xuhui = make_org("xuhui", kind="district", parent=city)
    police = make_org("police", parent=city)
    traffic = make_org("traffic-police", kind="institution", parent=police)
    school = make_org("xuhui-school", kind="institution", parent=xuhui)
    other = make_org("elsewhere", kind="municipal")
    Organisation.objects.filter(pk=xuhui.pk).update(sort_order=2)
    Organisation.objects.filter(pk=police.pk).update(sort_order=1)
    assert tree.linked_organisations(city) == [city.pk, police.pk, xuhui.pk, traffic.pk, school.pk]
    assert tree.linked_organisations(police) == [police.pk, traffic.pk]
    assert tree.linked_organisations(other) == [other.pk]
    children = tree.children_map()
    assert children[None] == [city.pk, other.pk]
    assert tree.linked_organisations(xuhui, children) == [xuhui.pk, school.pk]


def test_ancestors_up_to_the_top(make_org):
    city = make_org("shanghai", kind="municipal")
    police = make_org("police", parent=city)
    traffic = make_org("traffic-police", kind="institution", parent=police)
    assert list(tree.ancestors(traffic)) == [traffic, police, city]
    assert list(tree.ancestors(None)) == []


def test_a_loop_in_the_data_stops_the_walks(make_org):
    a = make_org("a")
    b = make_org("b", parent=a)
    Organisation.objects.filter(pk=a.pk).update(parent=b)
    a.refresh_from_db()
    assert tree.linked_organisations(a) == [a.pk, b.pk]
    assert [o.pk for o in tree.ancestors(a)] == [a.pk, b.pk]


@given(st.dictionaries(st.integers(0, 20), st.lists(st.integers(0, 20), max_size=5), max_size=20),
       st.integers(0, 20))
def test_linked_ids_visits_each_reachable_id_once_root_first(children, root):
    ids = tree.linked_ids(children, root)
    assert ids[0] == root and len(ids) == len(set(ids))
    reachable, frontier = {root}, [root]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in reachable:
                reachable.add(child)
                frontier.append(child)
    assert set(ids) == reachable
