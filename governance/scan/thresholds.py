"""Every number the scan's decisions use, named in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    # how much is looked at
    structured_values: int = 40  # values a structured column is judged on in the pattern pass
    early_stop: int = 12  # an entity absent from the first values of a structured column is not looked for further
    ner_values: int = 40  # values of a column sent to spaCy at most
    ner_first_round: int = 12  # values per column in NER's first round
    # pattern evidence
    min_hit_score: float = 0.3  # a pattern hit below this is ignored
    accept_score: float = 0.5  # mean score of a column's hits for the entity to count
    structured_coverage: float = 0.5  # share of values holding the entity, in a structured column
    checksum_coverage: float = 0.8  # share of values with a valid checksum (national ids, BIC) without a name
    named_checksum_coverage: float = 0.3  # the same when the column name says so
    free_text_hits: int = 2  # distinct values with a clear hit, in free text
    # share of values valid in the table's region for short national numbers to count: random seven-digit
    # codes are valid Icelandic numbers 37% of the time; phones typed by people hold some invalid ones
    regional_plan_coverage: float = 0.6
    personal_id_coverage: float = 0.9  # values one personal-identifier module validates: a national id
    named_shape_coverage: float = 0.9  # values of an identifier without a check digit, under its name
    company_id_coverage: float = 0.9  # values one company-number module validates: a column of company ids
    named_bonus: float = 0.15  # score added when the column name agrees with the values
    explained_score: float = 0.5  # a value explained by a pattern hit at this score is not sent to NER
    # numbers stored as numbers
    numeric_coverage: float = 0.8  # share of integer values that are valid phones / cards / ids
    # NER
    ner_coverage: float = 0.4  # share of word values spaCy must tag PERSON/LOCATION
    ner_free_text_coverage: float = 0.3
    ner_candidates: float = 0.3  # share of word values a column needs before NER looks at it
    ner_score: float = 0.5
    ner_person_known_share: float = 0.25  # values of known names a structured column needs for NER's PERSON
    # a column of fewer distinct values than this is a closed list, judged as a set (the names list's
    # column judgement needs as many: `PersonRecognizer.min_distinct`)...
    small_column_values: int = 25
    small_column_person_share: float = 0.8  # ...of persons when this share of its values is person-like
    ner_found_score: float = 0.85
    english_prose_share: float = 0.08  # share of a prose column's words that are English function words
    # names and places judged on the column's values together
    name_share: float = 0.5  # share of values made of known given/family names (and capitalised)
    named_name_share: float = 0.3  # the same when the column name says person
    place_share: float = 0.5  # share of values that are known place names
    named_place_share: float = 0.2
    street_share: float = 0.5  # share of values with a house number and a street-type word
    postcode_share: float = 0.9  # share of values in a distinctive national postcode format
    named_postcode_shape: float = 0.8  # share of postcode-shaped values when the name says postcode
    # one structured column is one kind of thing
    keep_share_of_top: float = 0.5  # an entity decided by values must cover this share of the best one's coverage
    # scores reported
    name_only_score: float = 0.5
    dob_score: float = 0.7
    dob_named_score: float = 0.95
