"""Health data: medications (a drug with its strength) and medical conditions named in free text.

Health data is special-category data under GDPR and, next to a patient's identifiers, protected health
information under HIPAA (vars.governance.regimes). Both recognizers look for what a prescription or a
clinical note writes, not for any one product's list: a drug name by its pharmacological stem (the
international nonproprietary name suffixes: -cillin, -statin, -pril, -sartan, ...) or followed by a
strength in a unit of dose, and a condition from the common diagnoses a pharmacy sees.
"""

from __future__ import annotations

from governance.scan.recognizers.base import Pattern, ValueRecognizer

# INN stems of common drug classes (WHO), and units a strength is written in
# (long, specific stems only: short ones such as -vir, -mab or -sone also end ordinary words and names)
DRUG_STEMS = (
    "cillin", "cycline", "mycin", "floxacin", "statin", "sartan", "olol", "dipine", "prazole", "tidine",
    "formin", "gliptin", "glinide", "oxetine", "triptan", "azepam", "azolam", "profen", "coxib", "thyroxine",
    "solone", "terol", "lukast", "parin", "xaban", "gatran", "semide", "thiazide", "tropium", "setron",
)
DOSE_UNITS = r"mg|mcg|µg|micrograms?|milligrams?|iu|units(?:/ml)?"
DOSE_FORMS = r"tablets?|capsules?|inhaler|pens?|cream|ointment|solution|drops|injection|patch(?:es)?|syrup|sachets?"
CONDITIONS = (
    "diabetes", "hypertension", "high blood pressure", "asthma", "copd", "depression", "anxiety", "bipolar",
    "schizophrenia", "epilepsy", "migraine", "dementia", "alzheimer's", "parkinson's", "arthritis", "osteoporosis",
    "hypothyroidism", "hyperthyroidism", "high cholesterol", "hypercholesterolaemia", "heart failure", "angina",
    "atrial fibrillation", "stroke", "cancer", "leukaemia", "lymphoma", "hiv", "hepatitis", "tuberculosis",
    "chest infection", "pneumonia", "urinary tract infection", "eczema", "psoriasis", "acne", "hay fever",
    "allergy", "acid reflux", "crohn's disease", "ulcerative colitis", "irritable bowel syndrome", "insomnia",
    "adhd", "obesity", "pregnancy", "chlamydia", "gonorrhoea",
)


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(sorted((w.replace("'", "'?").replace(" ", r"\s+") for w in words), key=len, reverse=True))


class MedicationRecognizer(ValueRecognizer):
    """A medication: a drug name by its INN stem, or any capitalised name followed by a strength
    (`Amoxicillin 500 mg capsules`, `Ramipril 5mg`, `Insulin 100 units/ml`)."""

    entity = "MEDICATION"
    names = r"medication|medicine|drug|drug_?name|prescribed_?drug|rx|medicament|medikament|farmaco|medicamento"
    free_text = True
    patterns = (
        Pattern("drug with strength",
                rf"\b[A-Z][a-z]{{3,}}(?:\s[a-z]+)?\s\d+(?:\.\d+)?\s?(?:{DOSE_UNITS})\b(?:\s(?:{DOSE_FORMS})\b)?", 0.7),
        Pattern("drug stem", rf"(?i)\b[a-z]{{2,}}(?:{'|'.join(DRUG_STEMS)})\b", 0.6),
        Pattern("ace inhibitor", r"(?i)\b[a-z]{3,}[aio]pril\b", 0.6),
    )

    def pretest(self, value: str, digits: int) -> bool:
        return len(value) >= 5


class MedicalConditionRecognizer(ValueRecognizer):
    """A medical condition named in text (`Prescribed for type 2 diabetes`, `reports asthma`)."""

    entity = "MEDICAL_CONDITION"
    names = r"condition|diagnosis|diagnose|indication|medical_?condition|illness|disease"
    free_text = True
    patterns = (Pattern("condition", rf"(?i)\b(?:{_alternatives(CONDITIONS)})\b", 0.6),)

    def pretest(self, value: str, digits: int) -> bool:
        return len(value) >= 3
