"""The organisation tree of the account matrix: the municipal account, its
districts and bureaus, their institutions.

One query reads the whole tree (about a hundred rows) as a map from each
organisation to its children; the walks run in Python and stop at a loop,
should the data ever hold one.
"""

from collections import deque

from .models import Organisation


def children_map():
    """{parent id (None for the top): [child ids in their sort order]}."""
    children = {}
    for pk, parent_id in Organisation.objects.order_by("sort_order", "id").values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def linked_ids(children, root_id):
    """``root_id`` and every id linked under it in ``children`` (a
    ``children_map``), breadth first: the root, its children, theirs…"""
    ids, frontier, seen = [], deque([root_id]), set()
    while frontier:
        pk = frontier.popleft()
        if pk in seen:
            continue
        seen.add(pk)
        ids.append(pk)
        frontier.extend(children.get(pk, []))
    return ids


def linked_organisations(organisation, children=None):
    """``organisation`` and every account linked under it (its districts,
    bureaus and their institutions), as a list of ids. Pass ``children``
    (a ``children_map``) to reuse one already read."""
    return linked_ids(children_map() if children is None else children, organisation.pk)


def ancestors(organisation):
    """``organisation``, its parent, the parent's parent… up to the top, each
    read when the walk gets there."""
    seen = set()
    org = organisation
    while org is not None and org.pk not in seen:
        seen.add(org.pk)
        yield org
        org = org.parent
