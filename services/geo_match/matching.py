"""Place an offer on the map: commune code, then postal code, then admin alias, then label.

`locate` returns a `Location` whose `method` names the evidence that decided:

- `commune_code`, `postal_code`, `label`, `alias`: a commune was found (an alias may
  also name a département or a region only, or tell to ignore the label);
- `department`, `region`: the evidence names an area, not a commune;
- `country` ("France"), `remote` (fully remote, no workplace);
- `ambiguous`: several communes fit; `candidates` lists them, and the département
  and region are set only when every candidate shares them;
- `unmatched`: evidence was given but nothing fits; `missing`: no evidence at all.

Nothing defaults to Paris.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from shared.contracts.records import GeoMethod, Location, PlaceEvidence
from shared.geo import Commune, Geography, label_key, name_key, tokens

DEFAULT_CACHE_SIZE = 100_000

# Kinds of places that need an admin's look, recorded by the service.
REVIEW_UNMATCHED = "unmatched"
REVIEW_AMBIGUOUS = "ambiguous"
REVIEW_PARTIAL = "partial"

_DEPARTMENT_CODE = re.compile(r"^(\d{2}|2[ab]|97[1-6])$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
_LEADING_DEPARTMENT = re.compile(r"^\s*(\d{2}|2[AaBb]|97\d)\s*-\s*(?=\S)")
_TRAILING_DEPARTMENT = re.compile(r"(?<=\S)\s*-\s*(\d{2}|2[AaBb]|97\d)\s*$")
_PART_SEPARATORS = re.compile(r"\s+[-–—]\s+|[,;/|()\[\]]")
_SUR_ABBREVIATION = re.compile(r"\b[sS]/\s*")
_ARRONDISSEMENT = re.compile(
    r"^(paris|lyon|marseille) (\d{1,2}) ?(?:e|er|ere|eme|em|ieme)?(?: arr(?:ondissement|t)?)?$"
)
_ARRONDISSEMENT_CITIES = {"paris": "75056", "lyon": "69123", "marseille": "13055"}

_DEPARTMENT_MARKERS = frozenset({"dept", "dpt", "departement"})
_COUNTRY_WORDS = frozenset(
    {"france", "france entiere", "france metropolitaine", "toute france", "toute la france"}
)
_REMOTE = re.compile(
    r"^(?:100 )?(?:full |total )?(?:teletravail|remote|travail a distance|a distance|home office)"
    r"(?: (?:complet|total|integral|100|possible|partiel))?$"
)

# Names of the regions before the 2016 merger and usual short names, mapped to the
# INSEE code of the current region that contains them.
REGION_ALIASES: dict[str, str] = {
    "idf": "11",
    "region parisienne": "11",
    "paca": "93",
    "provence alpes cote azur": "93",
    "aura": "84",
    "alsace": "44",
    "lorraine": "44",
    "champagne ardenne": "44",
    "aquitaine": "75",
    "limousin": "75",
    "poitou charentes": "75",
    "auvergne": "84",
    "rhone alpes": "84",
    "bourgogne": "27",
    "franche comte": "27",
    "basse normandie": "28",
    "haute normandie": "28",
    "languedoc roussillon": "76",
    "midi pyrenees": "76",
    "nord pas calais": "32",
    "nord pas de calais": "32",
    "picardie": "32",
    "centre": "24",
    "reunion": "04",
}

# Business districts that offers name as if they were communes. Each spans several
# communes of one département.
KNOWN_AREAS: dict[str, str] = {
    "defense": "92",
    "paris defense": "92",
    "paris la defense": "92",
    "sophia antipolis": "06",
    "saint quentin en yvelines": "78",
    "paris saclay": "91",
}


@dataclass(frozen=True, slots=True)
class AliasTarget:
    """An admin's resolution of one label key: a commune, a département, a region, or ignore."""

    commune_code: str | None = None
    department_code: str | None = None
    region_code: str | None = None
    ignored: bool = False


@dataclass(frozen=True, slots=True)
class ParsedLabel:
    """The parts of a place label, split and normalised."""

    key: str
    names: tuple[str, ...] = ()
    whole_name: str = ""
    department_codes: tuple[str, ...] = ()
    postal_codes: tuple[str, ...] = ()
    department_marker: bool = False
    remote: bool = False
    country: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """The result of matching, before it becomes a `Location`."""

    method: GeoMethod
    commune: Commune | None = None
    department_code: str | None = None
    region_code: str | None = None
    candidates: tuple[str, ...] = ()
    review: str | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """A location and, when an admin should look at the label, why."""

    location: Location
    review: str | None = field(default=None)


def parse_label(label: str) -> ParsedLabel:
    """Split a place label into place names, département codes, postal codes and keywords."""
    text = _SUR_ABBREVIATION.sub("sur ", label)
    department_codes: list[str] = []
    for pattern in (_LEADING_DEPARTMENT, _TRAILING_DEPARTMENT):
        found = pattern.search(text)
        if found:
            department_codes.append(found.group(1).upper())
            text = text[: found.start()] + " , " + text[found.end() :]
    whole_words = [word for word in _drop_cedex(tokens(text)) if not _POSTAL_CODE.match(word)]

    names: list[str] = []
    postal_codes: list[str] = []
    marker = remote = country = False
    for part in _PART_SEPARATORS.split(text):
        words = _drop_cedex(tokens(part))
        postal_codes += [word for word in words if _POSTAL_CODE.match(word)]
        words = [word for word in words if not _POSTAL_CODE.match(word)]
        if words and words[0] in _DEPARTMENT_MARKERS:
            marker = True
            words = _drop_leading_preposition(words[1:])
        phrase = " ".join(words)
        if not phrase:
            continue
        if _DEPARTMENT_CODE.match(phrase):
            department_codes.append(phrase.upper())
        elif _REMOTE.match(phrase):
            remote = True
        elif phrase in _COUNTRY_WORDS:
            country = True
        else:
            names.append(phrase)
    return ParsedLabel(
        key=label_key(label),
        names=tuple(names),
        whole_name=" ".join(whole_words) if len(names) > 1 else "",
        department_codes=tuple(dict.fromkeys(department_codes)),
        postal_codes=tuple(dict.fromkeys(postal_codes)),
        department_marker=marker,
        remote=remote,
        country=country,
    )


def _drop_cedex(words: list[str]) -> list[str]:
    """Remove "CEDEX" and the distribution number after it ("Nanterre Cedex 9" -> "Nanterre")."""
    if "cedex" not in words:
        return words
    position = words.index("cedex")
    rest = words[position + 1 :]
    if rest and rest[0].isdigit() and len(rest[0]) <= 2:
        rest = rest[1:]
    return words[:position] + rest


def _drop_leading_preposition(words: list[str]) -> list[str]:
    """Remove "du", "de la", "des"... after "Département" ("Département du Nord" -> "Nord")."""
    while words and words[0] in {"du", "de", "des", "d", "la", "l"}:
        words = words[1:]
    return words


def postal_department_codes(postal_code: str, geography: Geography) -> tuple[str, ...]:
    """Return the départements a postal code can belong to, from its leading digits.

    Corsican codes start with 20 for both 2A and 2B, and overseas codes use three
    digits (97411 is in 974), so the first two digits alone are wrong for both.
    Saint-Barthélemy (97133) and Saint-Martin (97150) use 971 codes but are not in
    Guadeloupe, so they give no département.
    """
    if postal_code.startswith("20"):
        return ("2A", "2B")
    if postal_code.startswith("97"):
        if postal_code in {"97133", "97150"}:
            return ()
        prefix = postal_code[:3]
    else:
        prefix = postal_code[:2]
    return (prefix,) if geography.department(prefix) else ()


class PlaceMatcher:
    """Locates offers on one geography, with a cache of label matches."""

    def __init__(self, geography: Geography, *, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self.geography = geography
        self._sole_communes = _sole_commune_by_department(geography)
        self._parse: Callable[[str], ParsedLabel] = parse_label
        self._match_label: Callable[[str, tuple[str, ...]], Match] = self._match_label_uncached
        if cache_size > 0:
            self._parse = lru_cache(maxsize=cache_size)(parse_label)
            self._match_label = lru_cache(maxsize=cache_size)(self._match_label_uncached)

    def place(
        self, evidence: PlaceEvidence, aliases: Mapping[str, AliasTarget] | None = None
    ) -> Placement:
        """Locate `evidence`, strongest evidence first, and flag it for review when needed."""
        match = self.match(evidence, aliases or {})
        return Placement(location=self.to_location(match), review=match.review)

    def locate(
        self, evidence: PlaceEvidence, aliases: Mapping[str, AliasTarget] | None = None
    ) -> Location:
        return self.place(evidence, aliases).location

    def match(self, evidence: PlaceEvidence, aliases: Mapping[str, AliasTarget]) -> Match:
        # NOTE: latitude and longitude are not used, because the data file has no
        # commune boundaries or centres.
        commune_code = _clean_code(evidence.commune_code)
        if commune_code:
            commune = self.geography.commune(commune_code)
            if commune is not None:
                return Match("commune_code", commune=commune)

        label = (evidence.label or "").strip()
        parsed = self._parse(label) if label else ParsedLabel(key="")
        if not parsed.key:
            label = ""
        postal_code = _clean_postal_code(evidence.postal_code) or next(
            iter(parsed.postal_codes), None
        )
        postal_communes = (
            self.geography.communes_with_postal_code(postal_code) if postal_code else ()
        )
        if len(postal_communes) == 1:
            return Match("postal_code", commune=postal_communes[0])

        if parsed.key and parsed.key in aliases:
            return self._alias_match(aliases[parsed.key])

        if not label:
            if postal_communes:
                return ambiguous_match(postal_communes)
            if postal_code or commune_code:
                return self._area_from_postal(postal_code, commune_code)
            return Match("missing")

        postal_key = tuple(commune.code for commune in postal_communes)
        if not postal_key and postal_code:
            hints = postal_department_codes(postal_code, self.geography)
            postal_key = tuple(f"dept:{code}" for code in hints)
        return self._match_label(label, postal_key)

    def _match_label_uncached(self, label: str, postal_key: tuple[str, ...]) -> Match:
        """Match a label, restricted to the communes (or départements) a postal code allows."""
        parsed = self._parse(label)
        postal_communes = tuple(
            self.geography.communes[code] for code in postal_key if not code.startswith("dept:")
        )
        postal_departments = {code[5:] for code in postal_key if code.startswith("dept:")}
        return LabelResolver(self.geography, parsed, postal_communes, postal_departments).resolve()

    def _alias_match(self, target: AliasTarget) -> Match:
        if target.ignored:
            return Match("alias")
        if target.commune_code:
            commune = self.geography.commune(target.commune_code)
            if commune is not None:
                return Match("alias", commune=commune)
        if target.department_code and self.geography.department(target.department_code):
            region = self.geography.departments[target.department_code].region_code
            return Match("alias", department_code=target.department_code, region_code=region)
        if target.region_code and self.geography.region(target.region_code):
            return Match("alias", region_code=target.region_code)
        return Match("unmatched", review=REVIEW_UNMATCHED)

    def _area_from_postal(self, postal_code: str | None, commune_code: str | None) -> Match:
        """Place evidence that has only an unknown postal or commune code by its département."""
        hints = set(postal_department_codes(postal_code, self.geography) if postal_code else ())
        if not hints and commune_code:
            # An INSEE commune code starts with its département: 2 characters, 3 overseas.
            hints = {commune_code[:3] if commune_code.startswith("97") else commune_code[:2]}
        match = area_match(self.geography, hints, set())
        if match is None:
            return Match("unmatched", review=REVIEW_UNMATCHED)
        return Match(
            match.method,
            department_code=match.department_code,
            region_code=match.region_code,
            review=REVIEW_PARTIAL,
        )

    def to_location(self, match: Match) -> Location:
        """Turn a match into the `Location` contract, names filled in from the geography."""
        commune = match.commune
        if commune is None and match.department_code in self._sole_communes:
            # A département made of one commune (Paris) names that commune too.
            commune = self._sole_communes[match.department_code]
        if commune is not None:
            return Location(
                method=match.method,
                commune_code=commune.code,
                commune_name=commune.name,
                department_code=commune.department_code,
                region_code=commune.region_code,
                region_name=self.geography.regions[commune.region_code].name,
                candidates=list(match.candidates),
            )
        region = self.geography.region(match.region_code) if match.region_code else None
        return Location(
            method=match.method,
            department_code=match.department_code,
            region_code=match.region_code,
            region_name=region.name if region else None,
            candidates=list(match.candidates),
        )


class LabelResolver:
    """Resolves one parsed label, given what a postal code already narrowed down."""

    def __init__(
        self,
        geography: Geography,
        parsed: ParsedLabel,
        postal_communes: tuple[Commune, ...],
        postal_departments: set[str],
    ) -> None:
        self.geography = geography
        self.parsed = parsed
        self.postal_communes = postal_communes
        self.department_hints = {
            code for code in parsed.department_codes if geography.department(code)
        } or postal_departments
        self.area_departments: set[str] = set()
        self.area_regions: set[str] = set()
        self.place_names: list[str] = []

    def resolve(self) -> Match:
        communes = self._communes_for_name(self.parsed.whole_name) if self.parsed.whole_name else ()
        if not communes:
            self._classify_names()
            communes = self._find_communes()
        if len(communes) == 1:
            method: GeoMethod = "postal_code" if self.postal_communes else "label"
            return Match(method, commune=communes[0])
        if communes:
            return ambiguous_match(communes)
        if self.postal_communes:
            return ambiguous_match(self.postal_communes)

        review = REVIEW_PARTIAL if self.place_names else None
        area = area_match(
            self.geography, self.department_hints | self.area_departments, self.area_regions
        )
        if area is not None:
            return Match(
                area.method,
                department_code=area.department_code,
                region_code=area.region_code,
                review=review,
            )
        if self.parsed.remote:
            return Match("remote")
        if self.parsed.country and not self.place_names:
            return Match("country")
        return Match("unmatched", review=REVIEW_UNMATCHED)

    def _classify_names(self) -> None:
        """Sort the label's names into areas (départements, regions) and place names."""
        for text in self.parsed.names:
            name = name_key(text)
            area_department, area_region = self._area_named(name)
            if area_department is None and area_region is None:
                self.place_names.append(text)
            elif self._is_commune_rather_than_area(name, area_department, area_region):
                self.place_names.append(text)
            elif area_department is not None:
                self.area_departments.add(area_department)
            else:
                self.area_regions.add(area_region)  # type: ignore[arg-type]

    def _area_named(self, name: str) -> tuple[str | None, str | None]:
        """Return the (département, region) code that `name` names, if any."""
        if name in KNOWN_AREAS:
            return KNOWN_AREAS[name], None
        department = self.geography.department_named(name)
        if department is not None:
            return department.code, None
        region = self.geography.region_named(name)
        if region is not None:
            return None, region.code
        return None, REGION_ALIASES.get(name)

    def _is_commune_rather_than_area(
        self, name: str, department: str | None, region: str | None
    ) -> bool:
        """Decide whether a name that is also a département or region name means the commune.

        "75 - Paris (Dept.)" means the département. "75 - PARIS" and "Paris" mean the
        commune, because it lies in the département of that name. "86 - Vienne" and a
        bare "Vienne" mean the département, because the commune Vienne lies in Isère.
        """
        if self.parsed.department_marker or name in KNOWN_AREAS:
            return False
        communes = self._communes_for_name(name)
        if not communes:
            return False
        if self.department_hints or self.postal_communes:
            return True
        if department is not None:
            return all(commune.department_code == department for commune in communes)
        return all(commune.region_code == region for commune in communes)

    def _find_communes(self) -> tuple[Commune, ...]:
        """Return the communes the place names designate, within every constraint found."""
        found: dict[str, Commune] = {}
        for name in self.place_names:
            for commune in self._communes_for_name(name):
                found.setdefault(commune.code, commune)
        return tuple(found.values())

    def _communes_for_name(self, text: str) -> tuple[Commune, ...]:
        """Return the communes a normalised place name designates, current names first.

        Keys drop leading articles, so "La Vergne" and "Vergné" share one; when that
        leaves several communes, the one whose full name matches is preferred.
        """
        name = name_key(text)
        arrondissement = _ARRONDISSEMENT.match(name)
        if arrondissement:
            city_code = _ARRONDISSEMENT_CITIES[arrondissement.group(1)]
            return self._filtered((self.geography.communes[city_code],))
        current = self._filtered(self.geography.communes_named(name))
        former = self._filtered(self.geography.communes_formerly_named(name))
        exact = _keep(current, self.geography.communes_named(text, exact=True))
        if len(exact) == 1:
            return exact
        if not exact:
            exact_former = _keep(former, self.geography.communes_formerly_named(text, exact=True))
            if len(exact_former) == 1:
                return exact_former
        return current or former

    def _filtered(self, communes: tuple[Commune, ...]) -> tuple[Commune, ...]:
        """Keep the communes allowed by the postal code, département and region evidence."""
        if self.postal_communes:
            allowed = {commune.code for commune in self.postal_communes}
            communes = tuple(commune for commune in communes if commune.code in allowed)
        departments = self.department_hints | self.area_departments
        if departments:
            communes = tuple(c for c in communes if c.department_code in departments)
        if self.area_regions:
            communes = tuple(c for c in communes if c.region_code in self.area_regions)
        return communes


def _keep(communes: tuple[Commune, ...], allowed: tuple[Commune, ...]) -> tuple[Commune, ...]:
    codes = {commune.code for commune in allowed}
    return tuple(commune for commune in communes if commune.code in codes)


def _sole_commune_by_department(geography: Geography) -> dict[str, Commune]:
    """Map each département that contains exactly one current commune to that commune."""
    by_department: dict[str, list[Commune]] = {}
    for commune in geography.communes.values():
        by_department.setdefault(commune.department_code, []).append(commune)
    return {code: communes[0] for code, communes in by_department.items() if len(communes) == 1}


def area_match(geography: Geography, departments: set[str], regions: set[str]) -> Match | None:
    """Return a département or region match when the evidence points to exactly one."""
    departments = {code for code in departments if geography.department(code)}
    if len(departments) == 1:
        code = next(iter(departments))
        return Match(
            "department", department_code=code, region_code=geography.departments[code].region_code
        )
    regions = regions | {geography.departments[code].region_code for code in departments}
    if len(regions) == 1:
        return Match("region", region_code=next(iter(regions)))
    return None


def ambiguous_match(communes: tuple[Commune, ...]) -> Match:
    """Return an ambiguous match; the département and region are kept only when all share them."""
    departments = {commune.department_code for commune in communes}
    regions = {commune.region_code for commune in communes}
    return Match(
        "ambiguous",
        department_code=departments.pop() if len(departments) == 1 else None,
        region_code=regions.pop() if len(regions) == 1 else None,
        candidates=tuple(sorted(commune.code for commune in communes)),
        review=REVIEW_AMBIGUOUS,
    )


def _clean_code(code: str | None) -> str | None:
    """Normalise an INSEE commune code: upper case, and a lost leading zero restored."""
    if not code:
        return None
    code = code.strip().upper()
    return code.zfill(5) if code.isdigit() and len(code) == 4 else code


def _clean_postal_code(code: str | None) -> str | None:
    """Normalise a postal code to five digits, or None when it is not one."""
    if not code:
        return None
    code = code.strip().replace(" ", "")
    if code.isdigit() and len(code) == 4:
        code = "0" + code
    return code if _POSTAL_CODE.match(code) else None


@lru_cache(maxsize=4)
def matcher_for(geography: Geography) -> PlaceMatcher:
    """Return the shared cached matcher of a geography."""
    return PlaceMatcher(geography)


def locate(
    evidence: PlaceEvidence,
    geography: Geography,
    aliases: Mapping[str, AliasTarget] | None = None,
) -> Location:
    """Locate one offer's place evidence on `geography`, applying admin `aliases` by label key."""
    return matcher_for(geography).locate(evidence, aliases)
