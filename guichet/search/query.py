"""The user's words as full-text queries for both engines, with nothing of their syntax.

`tickets.search.search_terms` keeps letters and digits only, so quotes, `*`, `NEAR`, `-` or
parentheses typed by the user are never operators: they search literally or not at all.
"""

import re
import unicodedata

from guichet.tickets.search import MIN_PREFIX, search_terms

__all__ = ["fold", "fts5_match", "search_terms", "tsquery_sql", "variants"]

# Of a description typed into a request form, the longest words say most about it; four
# words make six pairs: each more doubles what FTS5 reads for a suggestion.
MAX_SUGGESTION_TERMS = 4
# Words of any request, in either language, that say nothing about its subject.
COMMON_WORDS = frozenset(
    {
        "ai", "aie", "ais", "ait", "alors", "après", "aujourd", "aussi", "autre", "avant", "avoir",
        "bien", "bonjour", "car", "ce", "cela", "ces", "cet", "cette", "chaque", "chez", "comme",
        "comment", "depuis", "des", "dois", "doit", "donc", "elle", "elles", "encore", "est",
        "été", "être", "fait", "faire", "fois", "hier", "il", "ils", "jamais", "je", "jour",
        "jours", "leur", "lui", "mais", "marche", "matin", "même", "mes", "minutes", "moi", "mon",
        "merci", "nous", "ont", "pas", "peu", "peut", "plus", "pour", "pourquoi", "quand", "que",
        "quel", "quelle", "qui", "rien", "reste", "sans", "ses", "soir", "son", "sont", "suis",
        "sur", "toujours", "tous", "tout", "toute", "toutes", "très", "trop", "une", "vous",
        "votre", "vos", "dix", "deux", "trois", "cinq", "about", "after", "again", "all", "also",
        "any", "are", "back", "been", "before", "but", "can", "cannot", "could", "did", "does",
        "doesn", "done", "every", "from", "get", "got", "has", "have", "hello", "her", "his",
        "how", "just", "keep", "like", "many", "more", "morning", "most", "not", "now", "only",
        "our", "please", "since", "some", "still", "than", "thank", "thanks", "that", "their",
        "them", "then", "there", "they", "this", "today", "too", "very", "was", "were", "what",
        "when", "where", "which", "while", "who", "will", "would", "yesterday", "you", "your",
        "minute", "hour", "hours", "day", "days", "week",
    }
)  # fmt: skip


_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower case without accents, as both engines compare words (C-speed string methods:
    it runs over every text of a page of hits)."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def variants(term: str) -> list[str]:
    """The term and its other French number: the index's stemmer is English and handles
    "-s" and "-es", not "réseau/réseaux", "journal/journaux", "jeu/jeux"."""
    word = fold(term)
    forms = [word]
    if len(word) > 3 and word.endswith("aux"):
        forms += [word[:-3] + "al", word[:-1]]
    elif len(word) > 3 and word.endswith(("eux", "eaux", "oux")):
        forms.append(word[:-1])
    elif len(word) > 2 and word.endswith(("eau", "eu", "au")):
        forms.append(word + "x")
    elif len(word) > 3 and word.endswith("al"):
        forms.append(word[:-2] + "aux")
    return forms


def _fts5_term(term: str, prefix: bool) -> str:
    star = "*" if prefix else ""
    options = ['"' + form.replace('"', '""') + '"' + star for form in variants(term)]
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def fts5_match(terms: list[str], *, any_term: bool = False, prefix_last: bool = True) -> str:
    """An FTS5 expression: every term (or any, for suggestions), each quoted, the last one as
    a prefix when it is long enough (the user may still be typing it)."""
    parts = []
    for index, term in enumerate(terms):
        last = index == len(terms) - 1
        parts.append(_fts5_term(term, prefix_last and last and len(term) >= MIN_PREFIX))
    return (" OR " if any_term else " AND ").join(parts)


def pairs(terms: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(terms) for b in terms[i + 1 :]]


def fts5_pairs(terms: list[str]) -> str:
    """FTS5: rows with at least two of the terms (any of them when there are fewer than 3)."""
    if len(terms) < 3:
        return fts5_match(terms, any_term=True, prefix_last=False)
    return " OR ".join(
        f"({_fts5_term(a, False)} AND {_fts5_term(b, False)})" for a, b in pairs(terms)
    )


def tsquery_pairs_sql(terms: list[str]):
    """PostgreSQL: as `fts5_pairs`."""
    if len(terms) < 3:
        return tsquery_sql(terms, any_term=True, prefix_last=False)
    parts, params = [], []
    for a, b in pairs(terms):
        parts.append("(tickets_search_term(%s, false) && tickets_search_term(%s, false))")
        params += [a, b]
    return "(" + " || ".join(parts) + ")", params


def tsquery_sql(terms: list[str], *, any_term: bool = False, prefix_last: bool = True):
    """PostgreSQL: the tsquery as SQL and its parameters (the French stemmer knows plurals)."""
    parts, params = [], []
    for index, term in enumerate(terms):
        last = index == len(terms) - 1
        parts.append("tickets_search_term(%s, %s)")
        params += [term, prefix_last and last and len(term) >= MIN_PREFIX]
    return "(" + (" || " if any_term else " && ").join(parts) + ")", params


def suggestion_terms(text: str) -> list[str]:
    """The words of a title and description that best say what they are about: the longest
    ones, each once (a long description would make a slow query of every word)."""
    seen: dict[str, str] = {}
    for word in search_terms(text):
        folded = fold(word)
        if len(word) >= 3 and folded not in COMMON_WORDS:
            seen.setdefault(folded, word)
    ranked = sorted(seen.values(), key=len, reverse=True)
    return ranked[:MAX_SUGGESTION_TERMS]
