"""The policy's agreement check, for every room that registers kinds: for
each actor, kind and action, the decision for one object and the filter for
a list agree, and an actor allowed something is offered the menu for it."""

from civichall.accounts import policy


def assert_decision_and_filter_agree(actors, querysets):
    """``querysets``: ``{kind: callable returning the queryset of every
    object of that kind}``, each non-empty. Returns how many (kind, action,
    actor) triples were walked."""
    walked = 0
    for kind, action in policy.kinds():
        if kind not in querysets:
            continue
        everything = list(querysets[kind]())
        assert everything, kind
        for actor in actors:
            listed = set(policy.filter_allowed(actor, kind, action, querysets[kind]()).values_list("pk", flat=True))
            decided = {obj.pk for obj in everything if policy.allows(actor, kind, action, obj)}
            assert listed == decided, (str(actor), kind, action)
            if decided:
                assert policy.allows_some(actor, kind, action), (str(actor), kind, action)
            walked += 1
    return walked
