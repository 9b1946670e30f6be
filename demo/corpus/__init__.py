"""The demo narrative corpus: situations.SITUATIONS and situations_more.MORE_SITUATIONS,
merged by all_situations() for the generator."""


def all_situations():
    """category -> every situation of the corpus (SITUATIONS' first, then
    MORE_SITUATIONS'), as new lists: the one place the two lists are merged."""
    from demo.corpus.situations import SITUATIONS
    from demo.corpus.situations_more import MORE_SITUATIONS

    return {code: [*items, *MORE_SITUATIONS.get(code, ())] for code, items in SITUATIONS.items()}
