"""Entity resolution for batch ingestion (kg/ingest/resolve.py).

Names and codes, alias tables, never_merge, fuzzy and embedding matching, failure-mode codes, and the
precision/recall of the resolver on samples/gold/aliases.json. Tests that need the sentence encoder share
one real all-MiniLM-L6-v2 (loaded once per module, a few seconds); the rest run with ``encoder=None``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from kg.core.errors import BadInputError, ConfigError
from kg.core.facts import Evidence, NodeFact
from kg.core.keys import node_id
from kg.ingest.resolve import (
    EntityResolver,
    KnownEntity,
    Resolution,
    canonical_key,
    load_alias_table,
    looks_like_tag,
)

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "samples" / "gold" / "aliases.json"

MakeResolver = Callable[..., EntityResolver]


def known(label: str, *names: str, code: bool = False) -> list[KnownEntity]:
    return [KnownEntity(node_id(label, n, is_code=code), label, n) for n in names]


def ids(resolver: EntityResolver, label: str, surfaces: list[str]) -> list[str]:
    return [r.id for r in resolver.resolve(label, surfaces)]


def offline(entities: Iterable[KnownEntity] = (), **kwargs: object) -> EntityResolver:
    return EntityResolver(entities, encoder=None, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def with_encoder() -> MakeResolver:
    """Resolvers with the real default encoder; the weights load once and are shared by all of them."""
    EntityResolver().resolve("Equipment", ["warm-up pump"])

    def make(entities: Iterable[KnownEntity] = (), **kwargs: object) -> EntityResolver:
        return EntityResolver(entities, **kwargs)  # type: ignore[arg-type]

    return make


# ------------------------------------------------------------------------------------------ canonical keys


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("SKF", "skf"),
        ("SKF Group", "skf"),  # our data: 'SKF Group' is SKF (see the module comment on "group")
        ("Aktiebolaget SKF", "skf"),
        ("AB SKF", "skf"),
        ("Parker Hannifin Corp.", "parker hannifin"),
        ("Parker Hannifin Corporation", "parker hannifin"),
        ("Parker-Hannifin", "parker hannifin"),
        ("Bosch Rexroth Ltd", "bosch rexroth"),
        ("Leeds Precision Engineering Limited", "leeds precision engineering"),
        ("KTR Systems GmbH", "ktr systems"),
        ("Schaeffler Technologies AG & Co. KG", "schaeffler technologies"),
        ("Schaeffler Technologies GmbH & Co. KG", "schaeffler technologies"),
        ("THK Europe B.V.", "thk europe"),
        ("Philips N.V.", "philips"),
        ("Gates Industrial Europe BVBA", "gates industrial europe"),
        ("KSB Pumpy + Armatury s.r.o.", "ksb pumpy and armatury"),
        ("Moravia Press Systems a.s.", "moravia press systems"),
        ("Société Mécanique Lyonnaise S.A.S.", "société mécanique lyonnaise"),
        ("SOCIÉTÉ MÉCANIQUE LYONNAISE SAS", "société mécanique lyonnaise"),
        ("Alstom S.A.", "alstom"),
        ("Fiat S.p.A.", "fiat"),
        ("Fiat SpA", "fiat"),
        ("Siemens Energy SE", "siemens energy"),
        ("Maersk A/S", "maersk"),
        ("Equinor AS", "equinor"),
        ("Wärtsilä Oy", "wärtsilä"),
        ("Hydraulika Polska Sp. z o.o.", "hydraulika polska"),
        ("Nachi K.K.", "nachi"),
        ("Bearings Pty Ltd", "bearings"),
        ("Tata Bearings Pvt. Ltd.", "tata bearings"),
        ("Acme Inc.", "acme"),
        ("Acme Incorporated", "acme"),
        ("Acme LLC", "acme"),
        ("Acme LLP", "acme"),
        ("Acme plc", "acme"),
        ("Acme & Co.", "acme"),
        ("Acme Company", "acme"),
        ("The Timken Company", "timken"),
        ("Ningbo Sealing Parts Co., Ltd.", "ningbo sealing parts"),
        ("Ｓｋｆ", "skf"),  # NFKC: full-width letters
        # meaningful words stay
        ("HYDAC Technology Ltd", "hydac technology"),
        ("HYDAC International GmbH", "hydac international"),
        ("Atlas Copco Compressors UK Ltd", "atlas copco compressors uk"),
        ("Atlas Copco", "atlas copco"),  # 'Copco' is not 'Co'
        ("Johnson & Johnson", "johnson and johnson"),
        ("Limited", "limited"),  # never stripped to nothing
    ],
)
def test_organization_keys_drop_legal_forms_but_not_meaningful_words(name: str, key: str) -> None:
    assert canonical_key("Supplier", name) == key
    assert canonical_key("Manufacturer", name) == canonical_key("Organization", name) == key


def test_canonical_keys_per_label() -> None:
    assert canonical_key("Part", "6205-2RSH") == canonical_key("Part", "6205 2rsh") == "62052rsh"
    assert canonical_key("Equipment", "LDS-P-101") == canonical_key("Equipment", "lds-p-101") == "ldsp101"
    assert canonical_key("Equipment", "Hydraulic  Power Unit") == "hydraulic power unit"
    assert (
        canonical_key("Material", " Nitrile  Rubber, NBR 70 ") == "nitrile rubber, nbr 70"
    )  # normalise_name
    assert canonical_key("Site", "Plant Alpha – Leeds") == "plant alpha – leeds"


@pytest.mark.parametrize(
    "tag", ["LDS-P-101", "OST-HP-02", "LDS-P-101-M", "P-101", "P101", "LDS P102", "lds-p-101"]
)
def test_equipment_tags_are_recognised(tag: str) -> None:
    assert looks_like_tag(tag)


@pytest.mark.parametrize(
    "name", ["P-101 feed pump", "Coolant supply pump", "Hydraulic press 400 t", "V-belt"]
)
def test_equipment_names_are_not_tags(name: str) -> None:
    assert not looks_like_tag(name)


# -------------------------------------------------------------------------------------------- suppliers


def test_skf_spellings_merge_into_the_known_supplier() -> None:
    resolver = offline(known("Supplier", "SKF"))
    results = resolver.resolve("Supplier", ["SKF Group", "Aktiebolaget SKF", "skf", "AB SKF"])
    assert {r.id for r in results} == {"Supplier:skf"}
    assert [r.method for r in results] == ["canonical", "canonical", "exact", "canonical"]
    assert all(r.name == "SKF" and r.key is None and r.score == 1.0 for r in results)


def test_skf_spellings_of_one_batch_become_one_new_supplier() -> None:
    results = offline().resolve("Supplier", ["SKF Group", "SKF", "Aktiebolaget SKF", "SKF Group"])
    # the id comes from the canonical key, whichever spelling a batch meets first
    assert {r.id for r in results} == {"Supplier:skf"}
    assert [r.method for r in results] == ["new", "exact", "canonical", "new"]
    assert results[0].name == "SKF Group"  # the first spelling names the new node
    assert [r.surface for r in results] == ["SKF Group", "SKF", "Aktiebolaget SKF", "SKF Group"]


def test_bom_supplier_variants_merge() -> None:
    resolver = offline(
        known("Supplier", "Parker Hannifin", "Atlas Copco Compressors UK Ltd", "Schaeffler AG")
    )
    got = resolver.resolve(
        "Supplier", ["Parker Hannifin Corp.", "Parker", "Atlas Copco", "Schaeffler Technologies AG & Co. KG"]
    )
    assert [r.id for r in got] == [
        "Supplier:parker hannifin",
        "Supplier:parker hannifin",
        "Supplier:atlas copco compressors uk ltd",
        "Supplier:schaeffler ag",
    ]
    assert [r.method for r in got] == ["canonical", "fuzzy", "fuzzy", "fuzzy"]  # fuzzy: words contained


def test_hydac_companies_stay_apart_and_bare_hydac_merges_into_neither() -> None:
    resolver = offline(known("Supplier", "HYDAC Technology Ltd"))
    technology, international, bare = ids(
        resolver, "Supplier", ["HYDAC Technology Ltd", "HYDAC International GmbH", "HYDAC"]
    )
    assert technology == "Supplier:hydac technology ltd"
    assert international == "Supplier:hydac international"
    assert bare == "Supplier:hydac"  # equally close to both companies: ambiguous, so a node of its own


def test_eriks_never_merges_into_skf_even_with_a_lenient_threshold() -> None:
    for threshold in (0.92, 0.5):
        resolver = offline(known("Supplier", "SKF"), fuzzy_threshold=threshold)
        assert ids(resolver, "Supplier", ["ERIKS", "Eriks B.V."]) == ["Supplier:eriks", "Supplier:eriks"]


def test_fuzzy_merges_a_typo() -> None:
    resolver = offline(known("Supplier", "Parker Hannifin", "EagleBurgmann"))
    got = resolver.resolve("Supplier", ["Parker Hanifin", "Eagle Burgmann"])
    assert [r.id for r in got] == ["Supplier:parker hannifin", "Supplier:eagleburgmann"]
    assert [r.method for r in got] == ["fuzzy", "fuzzy"]
    assert 0.92 <= got[0].score < 1 and got[1].score == 1.0  # the same words but for a space


def test_names_with_different_numbers_never_merge_by_similarity() -> None:
    resolver = offline(known("Equipment", "cooling water pump 1"), fuzzy_threshold=0.5)
    assert ids(resolver, "Equipment", ["cooling water pump 2", "Cooling water pump 1"]) == [
        "Equipment:cooling water pump 2",
        "Equipment:cooling water pump 1",
    ]


def test_labels_never_merge_but_related_organisations_are_reported() -> None:
    resolver = offline(known("Supplier", "SKF Group") + known("Manufacturer", "SKF"))
    assert ids(resolver, "Manufacturer", ["Aktiebolaget SKF"]) == ["Manufacturer:skf"]
    assert ids(resolver, "Supplier", ["SKF"]) == ["Supplier:skf group"]
    assert ids(resolver, "Organization", ["SKF"]) == ["Organization:skf"]  # new: no Organization known
    assert resolver.related("Supplier:skf group") == ["Manufacturer:skf", "Organization:skf"]
    assert resolver.same_organization("Supplier:skf group", "Manufacturer:skf")
    assert not resolver.same_organization("Supplier:skf group", "Supplier:eriks")
    assert not resolver.same_organization("Supplier:skf group", "Part:skf")
    assert resolver.related_labels == {"Supplier", "Manufacturer", "Organization"}


# ------------------------------------------------------------------------------------------ codes


def test_part_number_variants_merge_and_different_numbers_stay_apart() -> None:
    resolver = offline(known("Part", "6205-2RSH", code=True), fuzzy_threshold=0.5)
    got = resolver.resolve(
        "Part", ["6205 2RSH", "62052rsh", "6205-2rsh", "6206-2RSH", "6205-2RSR", "6205-2RS"]
    )
    assert [r.id for r in got] == [
        "Part:62052rsh",
        "Part:62052rsh",
        "Part:62052rsh",
        "Part:62062rsh",
        "Part:62052rsr",
        "Part:62052rs",
    ]
    assert [r.method for r in got] == ["exact", "exact", "exact", "new", "new", "new"]
    assert got[3].name == "6206-2RSH" and got[3].key == "62062rsh"


def test_codes_do_not_merge_by_embedding(with_encoder: MakeResolver) -> None:
    resolver = with_encoder(known("Part", "6205-2RSH", code=True), embedding_threshold=0.3)
    assert ids(resolver, "Part", ["6206-2RSH", "6205-2RSH"]) == ["Part:62062rsh", "Part:62052rsh"]


def test_equipment_tags_merge_only_with_the_same_tag() -> None:
    pump = KnownEntity("Equipment:ldsp101", "Equipment", "Coolant supply pump", aliases=("LDS-P-101",))
    resolver = offline([pump], fuzzy_threshold=0.5)
    got = resolver.resolve(
        "Equipment",
        ["lds-p-101", "LDS P 101", "Coolant Supply Pump", "LDS-P-102", "LDS-P-101-M", "OST-HP-02"],
    )
    assert [r.id for r in got] == [
        "Equipment:ldsp101",
        "Equipment:ldsp101",
        "Equipment:ldsp101",
        "Equipment:ldsp102",
        "Equipment:ldsp101m",
        "Equipment:osthp02",
    ]
    assert got[2].method == "canonical" and got[2].name == "Coolant supply pump" and got[2].key == "ldsp101"


@pytest.mark.parametrize(
    ("label", "entities", "surface"),
    [
        ("Part", [], "6205-2RSH"),
        ("Part", known("Part", "6205-2RSH", code=True), "6205 2rsh"),
        ("Supplier", [], "Parker Hannifin Corp."),
        ("Supplier", known("Supplier", "SKF Group"), "Aktiebolaget SKF"),
        (
            "Equipment",
            [KnownEntity("Equipment:ldsp101", "Equipment", "Coolant supply pump")],
            "coolant supply pump",
        ),
        ("Equipment", [], "OST-HP-02"),
    ],
)
def test_resolution_builds_the_node_it_names(label: str, entities: list[KnownEntity], surface: str) -> None:
    r = offline(entities).resolve(label, [surface])[0]
    ev = [Evidence(doc_id="doc-1", start=0, end=len(surface))]
    if label == "Supplier" and r.method == "new":  # organisations are keyed by their canonical name
        assert r.id == f"Supplier:{canonical_key(label, surface)}"
        assert NodeFact(label=r.label, name=r.name, canonical_id=r.id, evidence=ev).id == r.id
        return
    assert NodeFact(label=r.label, name=r.name, key=r.key, evidence=ev).id == r.id


# ------------------------------------------------------------------------------------------ alias table


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_alias_table_merges_names_no_similarity_would(tmp_path: Path) -> None:
    table = load_alias_table(
        write_json(
            tmp_path / "aliases.json",
            {
                "notes": {"format": "metadata is skipped"},
                "Supplier": {"Schaeffler": ["FAG", "INA"], "Société Mécanique Lyonnaise": ["SML"]},
                "Part": {"FL-NEUPEX-B110": ["N-EUPEX B 110"]},
            },
        )
    )
    resolver = offline(
        known("Supplier", "Schaeffler AG") + known("Part", "FL-NEUPEX-B110", code=True), aliases=table
    )
    assert [(r.id, r.method) for r in resolver.resolve("Supplier", ["FAG", "ina", "SML", "SML S.A.S."])] == [
        ("Supplier:schaeffler ag", "alias"),
        ("Supplier:schaeffler ag", "alias"),
        ("Supplier:société mécanique lyonnaise", "alias"),  # created under its canonical name
        ("Supplier:société mécanique lyonnaise", "alias"),  # 'SML S.A.S.' is 'SML' without the legal form
    ]
    assert resolver.resolve("Supplier", ["SML"])[0].name == "Société Mécanique Lyonnaise"
    assert [(r.id, r.method) for r in resolver.resolve("Part", ["N-EUPEX B 110"])] == [
        ("Part:flneupexb110", "alias")
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "invalid JSON at line 1"),
        ("[1, 2]", "got a JSON list"),
        ('{"Supplier": ["SKF"]}', "entry 'Supplier'"),
        ('{"Supplier": {"SKF": "SKF Group"}}', "aliases must be a list"),
        ('{"Supplier": {"SKF": ["SKF Group", 3]}}', "aliases must be a list of non-blank strings"),
        ('{"Supplier": {"SKF": ["  "]}}', "non-blank"),
        ('{"Supplier": {"SKF": ["SKF Group"], "ERIKS": ["SKF AB"]}}', "belongs to both 'SKF' and 'ERIKS'"),
        ('{"supplier": {"SKF": ["SKF Group"]}}', "did you mean 'Supplier'"),
        ('{"Sup plier": {"SKF": []}}', "labels are class names"),
    ],
)
def test_bad_alias_tables_name_the_file_and_the_problem(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "aliases.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadInputError, match="aliases.json") as info:
        load_alias_table(path)
    assert problem in str(info.value)


def test_missing_or_binary_alias_table(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="cannot read the alias table"):
        load_alias_table(tmp_path / "missing.json")
    (tmp_path / "latin1.json").write_bytes(b'{"Supplier": {"Soci\xe9t\xe9": []}}')
    with pytest.raises(BadInputError, match="not UTF-8"):
        load_alias_table(tmp_path / "latin1.json")


def test_conflicting_aliases_passed_directly_are_refused() -> None:
    with pytest.raises(BadInputError, match="belongs to both"):
        offline(aliases={"Part": {"6205-2RSH": ["6205 2RSH"], "6205-2RSR": ["62052RSH"]}})


# ------------------------------------------------------------------------------ never_merge and add()


def test_never_merge_blocks_every_kind_of_merge() -> None:
    parker = known("Supplier", "Parker Hannifin")
    assert ids(offline(parker), "Supplier", ["Parker"]) == ["Supplier:parker hannifin"]  # fuzzy
    blocked = offline(parker, never_merge=[("Parker", "Parker Hannifin")])
    assert ids(blocked, "Supplier", ["Parker"]) == ["Supplier:parker"]
    by_id = offline(parker, never_merge=[("Supplier:parker hannifin", "Parker")])
    assert ids(by_id, "Supplier", ["Parker", "Parker Hannifin"]) == [
        "Supplier:parker",
        "Supplier:parker hannifin",
    ]
    aliased = offline(
        known("Supplier", "Parker Hannifin"),
        aliases={"Supplier": {"Parker Hannifin": ["Pirtek Leeds"]}},
        never_merge=[("Pirtek Leeds", "Supplier:parker hannifin")],
    )
    assert ids(aliased, "Supplier", ["Pirtek Leeds"]) == ["Supplier:pirtek leeds"]


def test_never_merge_within_a_batch() -> None:
    resolver = offline(never_merge=[("Pirtek", "Pirtek Leeds")])
    assert ids(resolver, "Supplier", ["Pirtek Leeds", "Pirtek"]) == [
        "Supplier:pirtek leeds",
        "Supplier:pirtek",
    ]


def test_added_and_newly_resolved_entities_are_merge_targets() -> None:
    resolver = offline()
    resolver.add(KnownEntity("Supplier:trelleborg", "Supplier", "Trelleborg", aliases=("TSS",)))
    assert ids(resolver, "Supplier", ["Trelleborg Sealing Solutions", "tss"]) == ["Supplier:trelleborg"] * 2
    resolver.add(KnownEntity("Supplier:trelleborg", "Supplier", "Trelleborg", aliases=("Trelleborg AB",)))
    first = resolver.resolve("Supplier", ["John Crane UK Ltd"])[0]
    again = resolver.resolve("Supplier", ["John Crane", "JOHN CRANE UK LTD"])
    assert first.method == "new"
    assert [r.id for r in again] == [first.id] * 2
    assert [r.method for r in again] == ["fuzzy", "canonical"]


def test_bad_input_is_refused_with_a_reason() -> None:
    with pytest.raises(BadInputError, match="must have an id starting with 'Supplier:'"):
        offline([KnownEntity("Manufacturer:skf", "Supplier", "SKF")])
    with pytest.raises(BadInputError, match="blank"):
        offline().resolve("Supplier", ["SKF", "  "])
    with pytest.raises(BadInputError, match="single string"):
        offline().resolve("Supplier", "SKF")
    with pytest.raises(BadInputError, match="identifier"):
        offline().resolve("Sup plier", ["SKF"])
    with pytest.raises(ConfigError, match="fuzzy_threshold"):
        EntityResolver(encoder=None, fuzzy_threshold=92)


def test_an_encoder_that_cannot_load_says_how_to_go_on(tmp_path: Path) -> None:
    resolver = EntityResolver(encoder=str(tmp_path / "no-model"))  # loads lazily: creating it is fine
    assert ids(resolver, "Part", ["6205-2RSH"]) == ["Part:62052rsh"]  # codes are never embedded
    with pytest.raises(ConfigError, match="encoder=None"):
        resolver.resolve("Equipment", ["coolant pump"])


# ------------------------------------------------------------------------------------------ embeddings


def test_embedding_merges_a_paraphrased_equipment_name(with_encoder: MakeResolver) -> None:
    resolver = with_encoder(known("Equipment", "coolant supply pump"))
    got = resolver.resolve("Equipment", ["coolant pump"])[0]
    assert (got.id, got.method) == ("Equipment:coolant supply pump", "embedding")
    assert 0.9 <= got.score <= 1.0


def test_embedding_threshold_decides_hydraulic_power_unit_vs_pack(with_encoder: MakeResolver) -> None:
    # all-MiniLM-L6-v2 gives these 0.73: apart at the default threshold, merged when the caller lowers it
    hpu = known("Equipment", "hydraulic power unit")
    assert with_encoder(hpu).resolve("Equipment", ["hydraulic power pack"])[0].method == "new"
    got = with_encoder(hpu, embedding_threshold=0.7).resolve("Equipment", ["hydraulic power pack"])[0]
    assert (got.id, got.method) == ("Equipment:hydraulic power unit", "embedding")


def test_steps_before_embedding_win_and_look_alikes_stay_apart(with_encoder: MakeResolver) -> None:
    resolver = with_encoder(
        known("Supplier", "Schaeffler Technologies AG & Co. KG", "SKF", "HYDAC Technology Ltd")
    )
    got = resolver.resolve(
        "Supplier",
        ["Schaeffler Technologies GmbH & Co. KG", "Schaeffler AG", "ERIKS", "HYDAC International GmbH"],
    )
    assert [(r.id, r.method) for r in got] == [
        ("Supplier:schaeffler technologies ag & co. kg", "canonical"),
        ("Supplier:schaeffler technologies ag & co. kg", "fuzzy"),  # its words are within the known name's
        ("Supplier:eriks", "new"),
        ("Supplier:hydac international", "new"),
    ]


def test_embedding_never_crosses_labels_or_numbers(with_encoder: MakeResolver) -> None:
    resolver = with_encoder(known("Equipment", "coolant supply pump", "feed pump 2"))
    assert ids(resolver, "Product", ["coolant pump"]) == ["Product:coolant pump"]
    assert ids(resolver, "Equipment", ["feed pump 3"]) == ["Equipment:feed pump 3"]


def test_new_names_of_one_batch_merge_by_embedding(with_encoder: MakeResolver) -> None:
    got = with_encoder().resolve("Equipment", ["coolant supply pump", "coolant pump", "air compressor"])
    assert [r.id for r in got] == ["Equipment:coolant supply pump"] * 2 + ["Equipment:air compressor"]
    assert got[1].method == "embedding"


def test_without_encoder_every_step_but_embedding_still_works() -> None:
    resolver = offline(
        known("Supplier", "SKF", "Parker Hannifin") + known("Equipment", "coolant supply pump")
    )
    assert [r.method for r in resolver.resolve("Supplier", ["SKF", "AB SKF", "Parker Hanifin", "ERIKS"])] == [
        "exact",
        "canonical",
        "fuzzy",
        "new",
    ]
    assert resolver.resolve("Equipment", ["coolant pump"])[0].method == "new"
    leak = resolver.resolve("FailureMode", ["seal leaking"])[0]
    assert (leak.code, leak.name) == ("ELP", "seal leaking")


# ------------------------------------------------------------------------------------- failure modes

# (description as written, expected ISO 14224-style code, or None: not a failure mode at all)
FAILURE_MODES: list[tuple[str, str | None]] = [
    ("leaking", "ELP"),
    ("seal leaking", "ELP"),
    ("leak from mechanical seal", "ELP"),
    ("shaft seal weeping", "ELP"),
    ("oil leak", "ELU"),  # the ontology files oil leaks under external leakage - utility medium
    ("gearbox oil leak", "ELU"),
    ("hydraulic oil leaking from hose", "ELU"),
    ("fuel leaking", "ELF"),
    ("internal leakage across valve", "INL"),
    ("passing valve", "LCP"),
    ("noisy bearing", "NOI"),
    ("grinding noise from gearbox", "NOI"),
    ("squealing belt", "NOI"),
    ("knocking noise", "NOI"),
    ("overheating", "OHE"),
    ("motor running hot", "OHE"),
    ("temperature too high", "OHE"),
    ("excessive heat", "OHE"),
    ("motor burnt smell", "OHE"),
    ("won't start", "FTS"),
    ("pump will not start", "FTS"),
    ("does not stop", "STP"),
    ("excessive vibration", "VIB"),
    ("vibrating", "VIB"),
    ("high vibration on motor", "VIB"),
    ("filter blocked", "PLU"),
    ("clogged strainer", "PLU"),
    ("blocked suction strainer", "PLU"),
    ("low flow from pump", "LOO"),
    ("reduced output", "LOO"),
    ("output too low", "LOO"),
    ("flow too high", "HIO"),
    ("bearing seized", "BRD"),
    ("impeller broken", "BRD"),
    ("cracked casing", "STD"),
    ("corrosion on pipework", "STD"),
    ("tripped on overload", "UST"),
    ("stopped unexpectedly", "UST"),
    ("valve stuck open", "FTC"),
    ("valve won't open", "FTO"),
    ("valve slow to close", "DOP"),
    ("pressure gauge reading wrong", "AIR"),
    ("discharge pressure fluctuating", "ERO"),
    ("out of calibration", "PDE"),
    ("loose bolts on guard", "SER"),
    ("unknown", "UNK"),
    ("replaced filter element", None),
    ("monthly inspection", None),
    ("SKF", None),
    ("deep groove ball bearing", None),
    ("operator training", None),
    ("lubrication schedule", None),
    ("Parker Hannifin", None),
]


def code_accuracy(resolutions: list[Resolution], threshold: float) -> float:
    hits = [
        (r.code if r.code_score >= threshold else None) == expected
        for r, (_, expected) in zip(resolutions, FAILURE_MODES, strict=True)
    ]
    return sum(hits) / len(hits)


def test_failure_mode_codes_with_the_encoder(with_encoder: MakeResolver) -> None:
    surfaces = [s for s, _ in FAILURE_MODES]
    default = with_encoder().resolve("FailureMode", surfaces)
    assert [r.name for r in default] == surfaces  # the original wording stays the name
    accuracy = code_accuracy(default, 0.0)  # the default threshold was already applied
    assert accuracy >= 0.85, accuracy
    # tuning: the default threshold is (within 2 points) the best one on these examples
    raw = with_encoder(failure_mode_threshold=0.0).resolve("FailureMode", surfaces)
    sweep = {t / 100: code_accuracy(raw, t / 100) for t in range(40, 91, 5)}
    assert sweep[0.7] == pytest.approx(accuracy)
    assert accuracy >= max(sweep.values()) - 0.02, sweep
    assert sweep[0.9] < accuracy  # the threshold matters: too strict loses paraphrases


def test_failure_mode_codes_without_the_encoder() -> None:
    resolutions = offline().resolve("FailureMode", [s for s, _ in FAILURE_MODES])
    assert code_accuracy(resolutions, 0.0) >= 0.8
    exact = {r.surface: (r.code, r.code_score) for r in resolutions}
    assert exact["leaking"] == ("ELP", 1.0) and exact["won't start"] == ("FTS", 1.0)


def test_failure_modes_resolve_among_themselves_and_keep_their_code() -> None:
    resolver = offline(known("FailureMode", "Seal leak"))
    got = resolver.resolve("FailureMode", ["seal leak", "noisy bearing"])
    assert [(r.id, r.method, r.code) for r in got] == [
        ("FailureMode:seal leak", "exact", "ELP"),
        ("FailureMode:noisy bearing", "new", "NOI"),
    ]
    assert [r.code for r in resolver.resolve("Equipment", ["leaking pump"])] == [
        None
    ]  # codes: failure modes only


# ---------------------------------------------------------------------------------- gold alias table


def pairwise(resolver: EntityResolver, table: dict[str, dict[str, list[str]]]) -> tuple[float, float]:
    """Precision and recall over pairs of distinct spellings of one label: same gold entity vs same id."""
    tp = fp = fn = 0
    for label, groups in table.items():
        spellings = list(
            {s: canonical for canonical, aliases in groups.items() for s in (canonical, *aliases)}.items()
        )
        got = resolver.resolve(label, [s for s, _ in spellings])
        for ((_, gold_a), a), ((_, gold_b), b) in itertools.combinations(zip(spellings, got, strict=True), 2):
            same = a.id == b.id
            tp += same and gold_a == gold_b
            fp += same and gold_a != gold_b
            fn += not same and gold_a == gold_b
    return tp / (tp + fp), tp / (tp + fn)


@pytest.fixture(scope="module")
def gold() -> dict[str, dict[str, list[str]]]:
    if not GOLD.exists():
        pytest.skip(f"{GOLD} is not there yet")
    return load_alias_table(GOLD)


def test_gold_aliases_precision_and_recall(gold: dict[str, dict[str, list[str]]]) -> None:
    # from nothing: every spelling of the gold file in one batch per label (no alias table, no never_merge)
    precision, recall = pairwise(offline(), gold)
    assert precision >= 0.98, precision  # measured 1.000
    assert recall >= 0.65, recall  # measured 0.678; misses: acronyms (SML), other scripts, code fragments
    # with the alias table itself every spelling lands on its canonical entity
    assert pairwise(offline(aliases=gold), gold) == (1.0, 1.0)


def test_gold_look_alikes_never_merge(gold: dict[str, dict[str, list[str]]]) -> None:
    distinct = json.loads(GOLD.read_text(encoding="utf-8"))["distinct"]
    resolver = offline()
    for case in distinct:
        label, names = case["label"], case["names"]
        spellings = [s for n in names for s in (n, *gold[label].get(n, ()))]
        by_name = dict(zip(spellings, ids(resolver, label, spellings), strict=True))
        for a, b in itertools.combinations(names, 2):
            assert by_name[a] != by_name[b], f"{label}: {a!r} merged with {b!r} ({case['why']})"
    assert ids(resolver, "Supplier", ["HYDAC"]) == ["Supplier:hydac"]  # ambiguous per the gold file
