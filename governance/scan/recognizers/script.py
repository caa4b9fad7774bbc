"""Words of other scripts read against the Latin-script names and places lists.

The names and places lists are mostly in Latin script (the sources write Cyrillic and Greek names as
their bearers transliterate them: `shevchenko`, `papadopoulos`, `kharkiv`). A Cyrillic or Greek word is
therefore also looked up in the few Latin spellings a compact transliteration gives it (Ukrainian and
Russian readings of `и`, `г`, `х`; Greek `υ`, `β`, `η`), and counts as known when one of them is.
"""

from __future__ import annotations

import functools
import itertools
import re

# each letter: its usual Latin spellings (the first is the national transliteration standard's)
_CYRILLIC: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g", "h"), "ґ": ("g",), "д": ("d",), "е": ("e", "ye"),
    "ё": ("e", "yo"), "є": ("ye", "ie"), "ж": ("zh",), "з": ("z",), "и": ("i", "y"), "і": ("i",), "ї": ("yi", "i"),
    "й": ("y", "i", ""), "к": ("k",), "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",),
    "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",), "х": ("kh", "h"), "ц": ("ts", "c"), "ч": ("ch",),
    "ш": ("sh",), "щ": ("shch", "sch"), "ъ": ("",), "ы": ("y",), "ь": ("",), "э": ("e",), "ю": ("yu", "iu"),
    "я": ("ya", "ia"), "ў": ("u",),
}
_GREEK: dict[str, tuple[str, ...]] = {
    "α": ("a",), "ά": ("a",), "β": ("v", "b"), "γ": ("g", "gh"), "δ": ("d", "dh"), "ε": ("e",), "έ": ("e",),
    "ζ": ("z",), "η": ("i", "e"), "ή": ("i", "e"), "θ": ("th",), "ι": ("i",), "ί": ("i",), "ϊ": ("i",), "ΐ": ("i",),
    "κ": ("k",), "λ": ("l",), "μ": ("m",), "ν": ("n",), "ξ": ("x", "ks"), "ο": ("o",), "ό": ("o",), "π": ("p",),
    "ρ": ("r",), "σ": ("s",), "ς": ("s",), "τ": ("t",), "υ": ("y", "i"), "ύ": ("y", "i"), "ϋ": ("y", "i"),
    "ΰ": ("y", "i"), "φ": ("f", "ph"), "χ": ("ch", "h", "kh"), "ψ": ("ps",), "ω": ("o",), "ώ": ("o",),
}
# Greek digraphs read as one sound
_GREEK_DIGRAPHS = {"ου": ("ou", "u"), "ού": ("ou", "u"), "αι": ("ai", "e"), "αί": ("ai", "e"), "ει": ("ei", "i"),
                   "εί": ("ei", "i"), "οι": ("oi", "i"), "οί": ("oi", "i"), "μπ": ("b", "mp"), "ντ": ("d", "nt"),
                   "γκ": ("g", "gk"), "γγ": ("ng",), "αυ": ("av", "af"), "ευ": ("ev", "ef")}
_NON_LATIN = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff]")
MAX_FORMS = 24  # spellings tried per word at most (the product of each letter's choices grows fast)


def non_latin(word: str) -> bool:
    return _NON_LATIN.search(word) is not None


@functools.lru_cache(maxsize=65536)
def latin_forms(word: str) -> tuple[str, ...]:
    """The Latin spellings of a lower-case Cyrillic or Greek word (empty for a word of another script).
    Letters outside the two tables (Kazakh `ә`, `ң`, ...) make the word unreadable: no forms."""
    if not non_latin(word):
        return ()
    choices: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _GREEK_DIGRAPHS:
            choices.append(_GREEK_DIGRAPHS[pair])
            i += 2
            continue
        ch = word[i]
        options = _CYRILLIC.get(ch) or _GREEK.get(ch)
        if options is None:
            if ch in "-'’ ":
                options = (ch,)
            else:
                return ()
        choices.append(options)
        i += 1
    forms: list[str] = []
    for combo in itertools.product(*choices):
        form = "".join(combo)
        if form not in forms:
            forms.append(form)
        if len(forms) >= MAX_FORMS:
            break
    return tuple(forms)


def known_in(word: str, *lists: frozenset[str]) -> bool:
    """Is the word, or one of its Latin spellings, in one of the lists?"""
    if any(word in words for words in lists):
        return True
    return any(form in words for form in latin_forms(word) for words in lists)
