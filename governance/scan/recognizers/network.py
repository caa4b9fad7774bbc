"""IP addresses, user agents and crypto wallet addresses."""

from __future__ import annotations

import ipaddress

from governance.scan.recognizers.base import Pattern, ValueRecognizer


class IpAddressRecognizer(ValueRecognizer):
    entity = "IP_ADDRESS"
    names = (
        r"ip|ip_?address|ip_?addr|ipv4|ipv6|client_?ip|remote_?addr|remote_?ip|ip_?adresse|adresse_?ip|"
        r"indirizzo_?ip|ip_?adres|adres_?ip|direccion_?ip"
    )
    free_text = True
    needs_validation = True
    patterns = (
        Pattern("ipv4", r"\b(?:\d{1,3}\.){3}\d{1,3}\b", 0.6),
        Pattern("ipv6", r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}:?[0-9A-Fa-f]{0,4}(?:::?[0-9A-Fa-f]{1,4})*(?![\w:])", 0.6),
    )

    def pretest(self, value: str, digits: int) -> bool:
        return digits >= 2 and ("." in value or ":" in value)

    def validate(self, text: str) -> bool | None:
        try:
            ipaddress.ip_address(text)
        except ValueError:
            return False
        return True


class UserAgentRecognizer(ValueRecognizer):
    entity = "USER_AGENT"
    names = r"user_?agent|useragent|ua|browser_?agent"
    whole_from_start = True
    patterns = (
        Pattern(
            "user agent",
            r"^(?:Mozilla|Opera|Dalvik|curl|Wget|python-requests|okhttp|Googlebot|bingbot|"
            r"facebookexternalhit|Safari|Chrome|AppleWebKit)/\d[\w.]*(?:\s|$)",
            0.7,
        ),
    )

    def pretest(self, value: str, digits: int) -> bool:
        return "/" in value


class CryptoRecognizer(ValueRecognizer):
    entity = "CRYPTO"
    names = r"wallet|btc_?address|crypto_?address|bitcoin_?address"
    free_text = True
    patterns = (Pattern("bitcoin", r"\b(?:bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b", 0.5),)

    def pretest(self, value: str, digits: int) -> bool:
        return len(value) >= 26
