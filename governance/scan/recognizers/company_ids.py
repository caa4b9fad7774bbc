"""Companies' tax and registry numbers: a column of them is not personal, whatever else its digits fit.

A Greek company's AFM (`094012345`) starts with a 0 as a phone's trunk prefix does, a Norwegian
organisation number (`923 456 789`) is grouped as phones are: digits alone cannot tell them apart, the
check digit can. A column in which nearly every value validates under one of python-stdnum's company,
business or VAT number modules (the modules whose description names a company, business, organisation,
enterprise or VAT number and no person; plus the Turkish VKN, the Russian company INN and OGRN, which
their descriptions call tax numbers) is a column of company identifiers. A random number passes one
module's check about one time in ten, so one module must validate nearly all values, not any module each.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

COMPANY_ID_MODULES = (
    "at.businessid", "at.uid", "au.abn", "au.acn", "be.vat", "bg.vat", "br.cnpj", "by.unp", "ca.bn", "ch.uid",
    "ch.vat", "cy.vat", "cz.dic", "de.vat", "dk.cvr", "ec.ruc", "ee.kmkr", "ee.registrikood", "es.cif",
    "eu.vat", "fi.alv", "fi.ytunnus", "fr.siren", "fr.siret", "fr.tva", "gb.vat", "gr.vat", "hu.anum",
    "id.npwp", "ie.vat", "il.hp", "in_.gstin", "is_.vsk", "it.iva", "jp.cn", "lt.pvm", "lu.tva",
    "lv.pvn", "mc.tva", "md.idno", "mt.vat", "nl.btw", "no.mva", "no.orgnr", "pe.ruc", "pl.nip", "ro.cf",
    "ro.cui", "se.orgnr", "se.vat", "si.ddv", "si.maticna", "sk.dph", "tw.ubn", "ua.edrpou", "ve.rif",
    "tr.vkn", "ru.ogrn",
)  # (kr.brn, the Korean business registration number, is left out: it validates 90% of random numbers)
_RU_COMPANY_INN = "ru.inn"  # ten digits: a company's (twelve: a person's, RU_INN)
_ID_SHAPE = re.compile(r"^[A-Z]{0,3}[\s.\-/]?[\d][\d\s.\-/]{5,20}[\dA-Z]{0,6}(?:\s[A-Z]{2,4}\d{0,4})?$")
MAX_VALUES = 40


@functools.cache
def _module(name: str) -> Any:
    return importlib.import_module(f"stdnum.{name}")


def _valid(name: str, value: str) -> bool:
    try:
        return bool(_module(name).is_valid(value))
    except Exception:  # a validator that trips on a malformed value is a rejection
        return False


def company_identifier_share(values: list[str]) -> float:
    """The largest share of the values (at most `MAX_VALUES`) that one company-number module validates;
    0 when the values are not shaped like identifiers."""
    sample = [v.strip() for v in values[:MAX_VALUES] if v.strip()]
    if len(sample) < 5 or sum(1 for v in sample if _ID_SHAPE.match(v.upper())) < 0.8 * len(sample):
        return 0.0
    best = 0
    for name in (*COMPANY_ID_MODULES, _RU_COMPANY_INN):
        fit = 0
        for i, value in enumerate(sample):
            if name == _RU_COMPANY_INN and len(re.sub(r"\D", "", value)) != 10:
                pass
            elif _valid(name, value):
                fit += 1
            if fit + len(sample) - i - 1 <= best:  # cannot beat the best module any more
                break
        best = max(best, fit)
    return best / len(sample)
