"""Build samples/annotated/supplier_sentences.jsonl from inline-annotated sentences.

    .venv/bin/python samples/tools/build_annotated.py          # write the JSONL file
    .venv/bin/python samples/tools/build_annotated.py --check  # also check for overlap with the gold documents

Each sentence below is written with inline markup, ``[surface text](Label)``, and a list of relations
``(head, label, tail)`` where head and tail are the surface texts of entities in the same sentence (append
``#2``, ``#3`` ... to pick the 2nd, 3rd occurrence of a surface that is marked more than once). The script
strips the markup, computes character offsets (Python str indices, end exclusive), and validates that
``text[start:end]`` equals the marked string, that labels and relation labels are known, that relation
indices point at entities and fit the relation's domain and range, and that ids are unique.

Output format, one JSON object per line:

    {"id": "sup-001", "text": "...", "entities": [{"start": 0, "end": 16, "label": "Supplier"}],
     "relations": [{"head": 1, "tail": 0, "label": "suppliedBy"}]}

The sentences are new text in the style of supplier documents, work orders and quality reports. They are not
copied from the documents under samples/documents/ that have gold annotations (samples/gold/), so that they can
train an extractor without leaking into the gold evaluation; ``--check`` verifies that no sentence shares a run
of 7 or more words with any gold document. All companies, people, numbers and events are fictional (real maker
names appear only as plausible catalogue entries).

Standard library only; ``--check`` additionally needs what samples/tools/check_gold.py needs (pypdf, python-docx).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1]
OUT = SAMPLES / "annotated" / "supplier_sentences.jsonl"

LABELS = {
    "Supplier",
    "Manufacturer",
    "PhysicalObject",
    "Material",
    "FailureMode",
    "MaintenanceActivity",
    "Property",
    "Site",
}
RELATIONS = {
    "suppliedBy": ({"PhysicalObject", "Material"}, {"Supplier"}),
    "manufacturedBy": ({"PhysicalObject"}, {"Manufacturer"}),
    "madeOf": ({"PhysicalObject"}, {"Material"}),
    "hasPart": ({"PhysicalObject"}, {"PhysicalObject"}),
    "hasPatient": ({"MaintenanceActivity", "FailureMode"}, {"PhysicalObject"}),
    "hasProperty": ({"PhysicalObject", "Material"}, {"Property"}),
}


def S(markup: str, *relations: tuple[str, str, str]) -> tuple:
    """One sentence: inline-annotated text followed by its (head, label, tail) relations."""
    return (markup, *relations)


SENTENCES: list[tuple] = [
    # --- supplier approvals, qualification, master data ------------------------------------------------------
    S(
        "[Norrland Bearings AB](Supplier) has been approved as second source for the [deep groove ball bearing 6206-2Z](PhysicalObject).",
        ("deep groove ball bearing 6206-2Z", "suppliedBy", "Norrland Bearings AB"),
    ),
    S(
        "Following the audit in March, [Vistula Hydraulics Sp. z o.o.](Supplier) is released to deliver [hose assemblies DN16 4SP](PhysicalObject) to our [Gdańsk warehouse](Site).",
        ("hose assemblies DN16 4SP", "suppliedBy", "Vistula Hydraulics Sp. z o.o."),
    ),
    S(
        "The [cartridge seal 45 mm](PhysicalObject) is made by [Brenner Dichtungstechnik GmbH](Manufacturer) and stocked by [Kestrel Seals Ltd](Supplier).",
        ("cartridge seal 45 mm", "manufacturedBy", "Brenner Dichtungstechnik GmbH"),
        ("cartridge seal 45 mm", "suppliedBy", "Kestrel Seals Ltd"),
    ),
    S(
        "Approved supplier list, item 14: [spherical roller bearing 22312 EK](PhysicalObject), source [SKF Group](Supplier), second source [Brammer Buck & Hickman](Supplier).",
        ("spherical roller bearing 22312 EK", "suppliedBy", "SKF Group"),
        ("spherical roller bearing 22312 EK", "suppliedBy", "Brammer Buck & Hickman"),
    ),
    S(
        "[Carolina Fluid Power Inc.](Supplier) remains our only source for the [gear pump GP-20-R](PhysicalObject), which is a single-source risk.",
        ("gear pump GP-20-R", "suppliedBy", "Carolina Fluid Power Inc."),
    ),
    S(
        "We confirm that [Tatra Pumps a.s.](Manufacturer) builds the [end-suction pump ESP 80-200](PhysicalObject) to your drawing.",
        ("end-suction pump ESP 80-200", "manufacturedBy", "Tatra Pumps a.s."),
    ),
    S(
        "Supplier status of [Lombardia Guarnizioni S.r.l.](Supplier) changed to conditional after two late deliveries of [PTFE gaskets](PhysicalObject).",
        ("PTFE gaskets", "suppliedBy", "Lombardia Guarnizioni S.r.l."),
    ),
    S(
        "The [filter element RF-0330-10](PhysicalObject) can be ordered from [Rotterdam Filtration B.V.](Supplier) or from the maker, [Pall](Manufacturer).",
        ("filter element RF-0330-10", "suppliedBy", "Rotterdam Filtration B.V."),
        ("filter element RF-0330-10", "manufacturedBy", "Pall"),
    ),
    S(
        "[Sakura Bearing Co., Ltd.](Manufacturer) produces the [needle roller bearing NK 25/20](PhysicalObject) in its Osaka plant.",
        ("needle roller bearing NK 25/20", "manufacturedBy", "Sakura Bearing Co., Ltd."),
    ),
    S(
        "Our preferred distributor for [V-belts XPB 1800](PhysicalObject) is [Midlands Transmission Supplies Ltd](Supplier).",
        ("V-belts XPB 1800", "suppliedBy", "Midlands Transmission Supplies Ltd"),
    ),
    S(
        "[Danube Valves Kft.](Supplier) supplies the [butterfly valve DN200](PhysicalObject) with an [EPDM](Material) liner.",
        ("butterfly valve DN200", "suppliedBy", "Danube Valves Kft."),
        ("butterfly valve DN200", "madeOf", "EPDM"),
    ),
    S(
        "As of 1 May the [chain coupling CC-50](PhysicalObject) will be invoiced by [Iberia Transmisiones S.L.](Supplier) instead of its parent company.",
        ("chain coupling CC-50", "suppliedBy", "Iberia Transmisiones S.L."),
    ),
    S(
        "The qualification of [Nordic Hose Oy](Supplier) for [hydraulic hose 2SC DN10](PhysicalObject) is on hold until the burst test report arrives.",
        ("hydraulic hose 2SC DN10", "suppliedBy", "Nordic Hose Oy"),
    ),
    S(
        "[Alpine Drives AG](Manufacturer) is the original manufacturer of the [helical gearbox HG-160](PhysicalObject) on conveyor CV-7.",
        ("helical gearbox HG-160", "manufacturedBy", "Alpine Drives AG"),
    ),
    S(
        "Master data: supplier [Baltic Elastomers UAB](Supplier), country LT, approved items [O-ring 80 x 3 FKM 80](PhysicalObject) and [X-ring 40 x 3.53](PhysicalObject).",
        ("O-ring 80 x 3 FKM 80", "suppliedBy", "Baltic Elastomers UAB"),
        ("X-ring 40 x 3.53", "suppliedBy", "Baltic Elastomers UAB"),
    ),
    S(
        "[Maple Leaf Couplings Corp.](Supplier) was added as an alternative source for [jaw coupling spiders](PhysicalObject) in [polyurethane](Material).",
        ("jaw coupling spiders", "suppliedBy", "Maple Leaf Couplings Corp."),
        ("jaw coupling spiders", "madeOf", "polyurethane"),
    ),
    S(
        "The [crankshaft forging](PhysicalObject) comes from [Pune Forgings Pvt. Ltd.](Supplier) in [42CrMo4](Material) steel.",
        ("crankshaft forging", "suppliedBy", "Pune Forgings Pvt. Ltd."),
        ("crankshaft forging", "madeOf", "42CrMo4"),
    ),
    S(
        "For the Australian site, [Sydney Pump Services Pty Ltd](Supplier) will stock [impellers](PhysicalObject) for the cooling water pumps.",
        ("impellers", "suppliedBy", "Sydney Pump Services Pty Ltd"),
    ),
    S(
        "[Brno Ložiska s.r.o.](Supplier) offered the [tapered roller bearing 30210](PhysicalObject) at 412 CZK per piece.",
        ("tapered roller bearing 30210", "suppliedBy", "Brno Ložiska s.r.o."),
    ),
    S(
        "Please note that [Timken Europe](Supplier) now ships the [32310 bearings](PhysicalObject) from its distribution centre in Colmar.",
        ("32310 bearings", "suppliedBy", "Timken Europe"),
    ),
    S(
        "Supplier approval renewed: [Aktiebolaget SKF](Supplier), scope [angular contact bearings 7210 BECBP](PhysicalObject) and [CR seals](PhysicalObject).",
        ("angular contact bearings 7210 BECBP", "suppliedBy", "Aktiebolaget SKF"),
        ("CR seals", "suppliedBy", "Aktiebolaget SKF"),
    ),
    S(
        "The audit of [Ohio Precision Castings LLC](Supplier) found no major nonconformity in the production of [pump casings](PhysicalObject).",
        ("pump casings", "suppliedBy", "Ohio Precision Castings LLC"),
    ),
    S(
        "[Midlands Fasteners plc](Supplier) is approved for [M16 hex bolts](PhysicalObject) in [property class 10.9](Property).",
        ("M16 hex bolts", "suppliedBy", "Midlands Fasteners plc"),
        ("M16 hex bolts", "hasProperty", "property class 10.9"),
    ),
    S(
        "[Rheinland Antriebstechnik GmbH](Manufacturer) designed the [worm gear unit WG-63](PhysicalObject), but spare parts are sold through [Hansa Industriebedarf KG](Supplier).",
        ("worm gear unit WG-63", "manufacturedBy", "Rheinland Antriebstechnik GmbH"),
        ("worm gear unit WG-63", "suppliedBy", "Hansa Industriebedarf KG"),
    ),
    S(
        "We have listed [Kowloon Precision Ltd.](Supplier) as a candidate for [linear guide blocks](PhysicalObject) but have not yet received samples.",
        ("linear guide blocks", "suppliedBy", "Kowloon Precision Ltd."),
    ),
    S(
        "[Parker Hannifin Corporation](Supplier) confirmed it will continue to supply the [piston pump PV092](PhysicalObject) for at least five years.",
        ("piston pump PV092", "suppliedBy", "Parker Hannifin Corporation"),
    ),
    S(
        "The [plant air dryer](PhysicalObject) at the [Wrocław site](Site) was bought from [Atlas Copco](Supplier) in 2019.",
        ("plant air dryer", "suppliedBy", "Atlas Copco"),
    ),
    S(
        "[Cascade Seals Inc.](Supplier), an authorised distributor, resells [lip seals](PhysicalObject) manufactured by [Freudenberg](Manufacturer).",
        ("lip seals", "suppliedBy", "Cascade Seals Inc."),
        ("lip seals", "manufacturedBy", "Freudenberg"),
    ),
    S(
        "Our buyer requested a quotation from [Tyne Hydraulics Ltd](Supplier) for twelve [cylinder seal kits](PhysicalObject).",
        ("cylinder seal kits", "suppliedBy", "Tyne Hydraulics Ltd"),
    ),
    S(
        "[Mazowsze Metal Sp. z o.o.](Supplier) supplies [S235JR](Material) plate for the machine guards.",
        ("S235JR", "suppliedBy", "Mazowsze Metal Sp. z o.o."),
    ),
    # --- purchase orders and delivery notes ------------------------------------------------------------------
    S(
        "PO line 20: 40 pcs [O-ring 25 x 2.5](PhysicalObject), compound [NBR 90](Material), supplier [Kestrel Seals Ltd](Supplier).",
        ("O-ring 25 x 2.5", "madeOf", "NBR 90"),
        ("O-ring 25 x 2.5", "suppliedBy", "Kestrel Seals Ltd"),
    ),
    S(
        "Please deliver 6 [filter cartridges FC-10](PhysicalObject) made of [glass fibre](Material) to the [Leeds](Site) goods receipt.",
        ("filter cartridges FC-10", "madeOf", "glass fibre"),
    ),
    S(
        'Order 4471: [ball valve 2" PN40](PhysicalObject) with [316L stainless steel](Material) body and [PTFE](Material) seats from [Danube Valves Kft.](Supplier).',
        ('ball valve 2" PN40', "madeOf", "316L stainless steel"),
        ('ball valve 2" PN40', "madeOf", "PTFE"),
        ('ball valve 2" PN40', "suppliedBy", "Danube Valves Kft."),
    ),
    S(
        "Delivery note DN-55812 lists 2 [hydraulic motors](PhysicalObject) from [Danfoss](Manufacturer), shipped by [Hydroflex Distribution Ltd](Supplier).",
        ("hydraulic motors", "manufacturedBy", "Danfoss"),
        ("hydraulic motors", "suppliedBy", "Hydroflex Distribution Ltd"),
    ),
    S(
        "We order the [timing belt 14M-1400-40](PhysicalObject) from [Gates Industrial Europe](Supplier) with delivery to Plant Beta.",
        ("timing belt 14M-1400-40", "suppliedBy", "Gates Industrial Europe"),
    ),
    S(
        "Line 3 of the order is a [bronze bushing 60 x 75 x 50](PhysicalObject) in [CuSn8](Material), drawing rev. D.",
        ("bronze bushing 60 x 75 x 50", "madeOf", "CuSn8"),
    ),
    S(
        "The [shaft 40 mm](PhysicalObject) is machined from [C45 steel](Material) and induction hardened to [55 HRC](Property).",
        ("shaft 40 mm", "madeOf", "C45 steel"),
        ("shaft 40 mm", "hasProperty", "55 HRC"),
    ),
    S(
        "Two [spare impellers](PhysicalObject) in [duplex stainless steel 1.4462](Material) were ordered from [Tatra Pumps a.s.](Supplier).",
        ("spare impellers", "madeOf", "duplex stainless steel 1.4462"),
        ("spare impellers", "suppliedBy", "Tatra Pumps a.s."),
    ),
    S(
        'Requisition for 10 m of [braided hose 1/4"](PhysicalObject) from [Pirtek](Supplier), to be made up on site.',
        ('braided hose 1/4"', "suppliedBy", "Pirtek"),
    ),
    S(
        "The [guide rail 35 x 1200](PhysicalObject) was delivered by [THK Europe B.V.](Supplier) with a hardness certificate of [60 HRC](Property).",
        ("guide rail 35 x 1200", "suppliedBy", "THK Europe B.V."),
        ("guide rail 35 x 1200", "hasProperty", "60 HRC"),
    ),
    S(
        "Blanket order 2025 covers [grease cartridges LGEP 2](PhysicalObject) from [ERIKS](Supplier), call-off monthly.",
        ("grease cartridges LGEP 2", "suppliedBy", "ERIKS"),
    ),
    S(
        "We received 3 [pressure transmitters PT-250](PhysicalObject) manufactured by [WIKA](Manufacturer) instead of the ordered brand.",
        ("pressure transmitters PT-250", "manufacturedBy", "WIKA"),
    ),
    S(
        "Please quote the [thrust washer](PhysicalObject) in [PA66-GF30](Material) and, as an option, in [POM](Material).",
        ("thrust washer", "madeOf", "PA66-GF30"),
        ("thrust washer", "madeOf", "POM"),
    ),
    S(
        "The [ductile iron](Material) for the [valve bodies](PhysicalObject) is bought by [Ohio Precision Castings LLC](Supplier) from a local foundry.",
        ("valve bodies", "madeOf", "ductile iron"),
    ),
    S(
        "Order confirmation: [solenoid valve 4/3 NG10](PhysicalObject), maker [Bosch Rexroth](Manufacturer), lead time 6 weeks.",
        ("solenoid valve 4/3 NG10", "manufacturedBy", "Bosch Rexroth"),
    ),
    S(
        "[Hansa Industriebedarf KG](Supplier) delivered 20 [grease nipples M8](PhysicalObject) in [zinc-plated steel](Material).",
        ("grease nipples M8", "suppliedBy", "Hansa Industriebedarf KG"),
        ("grease nipples M8", "madeOf", "zinc-plated steel"),
    ),
    S(
        'Invoice 88120 from [Nordic Hose Oy](Supplier) covers 8 [hose assemblies 1" 4SH](PhysicalObject) for the [Tampere plant](Site).',
        ('hose assemblies 1" 4SH', "suppliedBy", "Nordic Hose Oy"),
    ),
    S(
        "The [rotary union RU-32](PhysicalObject) is a [Deublin](Manufacturer) product sold in the UK by [Fluid Connectors UK Ltd](Supplier).",
        ("rotary union RU-32", "manufacturedBy", "Deublin"),
        ("rotary union RU-32", "suppliedBy", "Fluid Connectors UK Ltd"),
    ),
    S(
        "We need 4 [wear plates](PhysicalObject) in [Hardox 450](Material) for the chute of conveyor CV-3.",
        ("wear plates", "madeOf", "Hardox 450"),
    ),
    S(
        "[Sakura Bearing Co., Ltd.](Supplier) will ship 200 [cam followers CF 16](PhysicalObject) by sea freight.",
        ("cam followers CF 16", "suppliedBy", "Sakura Bearing Co., Ltd."),
    ),
    S(
        "Purchase of one [oil-free scroll compressor](PhysicalObject) from [Kaeser Kompressoren](Supplier) for the laboratory.",
        ("oil-free scroll compressor", "suppliedBy", "Kaeser Kompressoren"),
    ),
    # --- certificates and datasheets ---------------------------------------------------------------------------
    S(
        "Inspection certificate 3.1: [round bar 60 mm](PhysicalObject), material [1.4404](Material), [tensile strength 610 MPa](Property).",
        ("round bar 60 mm", "madeOf", "1.4404"),
        ("1.4404", "hasProperty", "tensile strength 610 MPa"),
    ),
    S(
        "The [mechanical seal faces](PhysicalObject) are [tungsten carbide](Material) against [carbon graphite](Material).",
        ("mechanical seal faces", "madeOf", "tungsten carbide"),
        ("mechanical seal faces", "madeOf", "carbon graphite"),
    ),
    S(
        "[FKM 75](Material) has a [compression set of 18 %](Property) after 22 h at 200 °C.",
        ("FKM 75", "hasProperty", "compression set of 18 %"),
    ),
    S(
        "Our [EPDM 70](Material) compound is rated for an [operating temperature of -40 to +150 °C](Property).",
        ("EPDM 70", "hasProperty", "operating temperature of -40 to +150 °C"),
    ),
    S(
        "The [hydraulic hose 2SN DN12](PhysicalObject) has a [working pressure of 250 bar](Property) and a [minimum bend radius of 180 mm](Property).",
        ("hydraulic hose 2SN DN12", "hasProperty", "working pressure of 250 bar"),
        ("hydraulic hose 2SN DN12", "hasProperty", "minimum bend radius of 180 mm"),
    ),
    S(
        "Certificate of conformity: the [O-rings 120 x 5](PhysicalObject) were moulded by [Baltic Elastomers UAB](Manufacturer) from [HNBR](Material).",
        ("O-rings 120 x 5", "manufacturedBy", "Baltic Elastomers UAB"),
        ("O-rings 120 x 5", "madeOf", "HNBR"),
    ),
    S(
        "The [pump shaft](PhysicalObject) material is [17-4PH](Material), solution treated and aged to [hardness 38 HRC](Property).",
        ("pump shaft", "madeOf", "17-4PH"),
        ("pump shaft", "hasProperty", "hardness 38 HRC"),
    ),
    S(
        "Datasheet: [timing pulley 8M-36](PhysicalObject), [aluminium 6082-T6](Material), anodised.",
        ("timing pulley 8M-36", "madeOf", "aluminium 6082-T6"),
    ),
    S(
        "The [filter element](PhysicalObject) achieves a [filtration ratio β10 ≥ 1000](Property) according to ISO 16889.",
        ("filter element", "hasProperty", "filtration ratio β10 ≥ 1000"),
    ),
    S(
        "[Chloroprene rubber](Material) gives the [V-belt](PhysicalObject) good resistance to oil and ozone.",
        ("V-belt", "madeOf", "Chloroprene rubber"),
    ),
    S(
        "The [bearing rings](PhysicalObject) are made of [100Cr6](Material) hardened to [61 HRC](Property).",
        ("bearing rings", "madeOf", "100Cr6"),
        ("bearing rings", "hasProperty", "61 HRC"),
    ),
    S(
        "The [gear housing](PhysicalObject) is cast from [EN-GJL-250](Material) grey iron by [Moravské Slévárny a.s.](Manufacturer).",
        ("gear housing", "madeOf", "EN-GJL-250"),
        ("gear housing", "manufacturedBy", "Moravské Slévárny a.s."),
    ),
    S(
        "Product sheet: [polyurethane](Material) spider, [hardness 98 Shore A](Property), for [jaw coupling size 38](PhysicalObject).",
        ("polyurethane", "hasProperty", "hardness 98 Shore A"),
        ("jaw coupling size 38", "madeOf", "polyurethane"),
    ),
    S(
        "The [conveyor belt EP630/4](PhysicalObject) has [SBR](Material) covers and a [breaking strength of 630 N/mm](Property).",
        ("conveyor belt EP630/4", "madeOf", "SBR"),
        ("conveyor belt EP630/4", "hasProperty", "breaking strength of 630 N/mm"),
    ),
    S(
        "Material certificate for [PTFE](Material) rod: [density 2.16 g/cm³](Property), colour white.",
        ("PTFE", "hasProperty", "density 2.16 g/cm³"),
    ),
    S(
        "The [ball screw 32 x 5](PhysicalObject) from [Hiwin](Manufacturer) is rated for a [dynamic load of 21 kN](Property).",
        ("ball screw 32 x 5", "manufacturedBy", "Hiwin"),
        ("ball screw 32 x 5", "hasProperty", "dynamic load of 21 kN"),
    ),
    S(
        "[FFKM](Material) [seals](PhysicalObject) are specified for the [acid transfer pump](PhysicalObject) because of the concentrated sulphuric acid.",
        ("seals", "madeOf", "FFKM"),
        ("acid transfer pump", "hasPart", "seals"),
    ),
    S(
        "The [radial shaft seal 50 x 72 x 8](PhysicalObject) has an [FKM](Material) lip and a [steel](Material) outer case.",
        ("radial shaft seal 50 x 72 x 8", "madeOf", "FKM"),
        ("radial shaft seal 50 x 72 x 8", "madeOf", "steel"),
    ),
    S(
        "This [bearing grease](Material) has a [dropping point of 260 °C](Property) and NLGI grade 2.",
        ("bearing grease", "hasProperty", "dropping point of 260 °C"),
    ),
    S(
        "The [heat exchanger plates](PhysicalObject) are [titanium grade 1](Material) because of the chloride content of the cooling water.",
        ("heat exchanger plates", "madeOf", "titanium grade 1"),
    ),
    S(
        "Declaration of conformity: [PVC suction hose 50 mm](PhysicalObject) produced by [Tubiflex Italia S.p.A.](Manufacturer).",
        ("PVC suction hose 50 mm", "manufacturedBy", "Tubiflex Italia S.p.A."),
    ),
    S(
        "The [cylinder rod](PhysicalObject) is [CK45](Material) with a [hard chrome](Material) layer and a [surface roughness of Ra 0.2 µm](Property).",
        ("cylinder rod", "madeOf", "hard chrome"),
        ("cylinder rod", "madeOf", "CK45"),
        ("cylinder rod", "hasProperty", "surface roughness of Ra 0.2 µm"),
    ),
    S(
        "The [impeller](PhysicalObject) was balanced to [grade G2.5](Property) at 2950 rpm.",
        ("impeller", "hasProperty", "grade G2.5"),
    ),
    S(
        "[Silicon carbide](Material) faces are recommended for the [slurry pump seal](PhysicalObject) because of their [hardness of 2500 HV](Property).",
        ("slurry pump seal", "madeOf", "Silicon carbide"),
        ("Silicon carbide", "hasProperty", "hardness of 2500 HV"),
    ),
    S(
        "The [sight glass](PhysicalObject) is [borosilicate glass](Material) rated to [16 bar](Property).",
        ("sight glass", "madeOf", "borosilicate glass"),
        ("sight glass", "hasProperty", "16 bar"),
    ),
    S(
        "Typical [flow rate of 45 m³/h](Property) at 32 m head for the [circulation pump CP-65](PhysicalObject).",
        ("circulation pump CP-65", "hasProperty", "flow rate of 45 m³/h"),
    ),
    S(
        "The [motor](PhysicalObject) of the fan has [insulation class F](Property) and [IP55](Property) protection.",
        ("motor", "hasProperty", "insulation class F"),
        ("motor", "hasProperty", "IP55"),
    ),
    S(
        "The [gear set](PhysicalObject) is case-hardened [18CrNiMo7-6](Material) to [surface hardness 58-62 HRC](Property).",
        ("gear set", "madeOf", "18CrNiMo7-6"),
        ("gear set", "hasProperty", "surface hardness 58-62 HRC"),
    ),
    # --- change notices, outages, discontinuations ------------------------------------------------------------
    S(
        "[Brenner Dichtungstechnik GmbH](Manufacturer) will discontinue the [lip seal BA 30 x 47 x 7](PhysicalObject) at the end of the year.",
        ("lip seal BA 30 x 47 x 7", "manufacturedBy", "Brenner Dichtungstechnik GmbH"),
    ),
    S(
        "Due to a flood at its warehouse, [Vistula Hydraulics Sp. z o.o.](Supplier) cannot deliver [quick couplings](PhysicalObject) before week 32.",
        ("quick couplings", "suppliedBy", "Vistula Hydraulics Sp. z o.o."),
    ),
    S(
        "The production of the [pressure switch PS-10](PhysicalObject) moves from Germany to [Hungary](Site); the maker stays [Alpine Drives AG](Manufacturer).",
        ("pressure switch PS-10", "manufacturedBy", "Alpine Drives AG"),
    ),
    S(
        "Force majeure: a cyberattack has stopped order processing at [Carolina Fluid Power Inc.](Supplier), affecting [valve manifolds](PhysicalObject) for all customers.",
        ("valve manifolds", "suppliedBy", "Carolina Fluid Power Inc."),
    ),
    S(
        "The compound of the [wiper seal](PhysicalObject) changes from [NBR](Material) to [polyurethane](Material) without a change of part number.",
        ("wiper seal", "madeOf", "polyurethane"),
    ),
    S(
        "From July, [Kestrel Seals Ltd](Supplier) will supply [FKM](Material) compound mixed at a new plant in [Port Talbot](Site).",
        ("FKM", "suppliedBy", "Kestrel Seals Ltd"),
    ),
    S(
        "[Gates](Manufacturer) announced that the [V-belt SPB 2000](PhysicalObject) is replaced by a cogged version with the same length.",
        ("V-belt SPB 2000", "manufacturedBy", "Gates"),
    ),
    S(
        "[Iberia Transmisiones S.L.](Supplier) is on allocation for [roller chains 16B-1](PhysicalObject) until the steel supply improves.",
        ("roller chains 16B-1", "suppliedBy", "Iberia Transmisiones S.L."),
    ),
    S(
        "Last-time buy for the [motor starter MS-32](PhysicalObject) from [Eaton](Manufacturer) closes on 30 September.",
        ("motor starter MS-32", "manufacturedBy", "Eaton"),
    ),
    S(
        "The strike at the port of Antwerp delays [filter housings](PhysicalObject) shipped by [Rotterdam Filtration B.V.](Supplier) by two weeks.",
        ("filter housings", "suppliedBy", "Rotterdam Filtration B.V."),
    ),
    S(
        "A fire at the plant of [Tubiflex Italia S.p.A.](Manufacturer) has stopped production of [suction hoses](PhysicalObject) for an estimated 8 weeks.",
        ("suction hoses", "manufacturedBy", "Tubiflex Italia S.p.A."),
    ),
    S(
        "[SKF](Manufacturer) has changed the cage material of the [bearing 6308-2RS1](PhysicalObject) from [steel](Material) to [polyamide](Material).",
        ("bearing 6308-2RS1", "manufacturedBy", "SKF"),
        ("bearing 6308-2RS1", "madeOf", "polyamide"),
    ),
    S(
        "[Sydney Pump Services Pty Ltd](Supplier) has moved its workshop to Botany, but prices for [pump overhauls](MaintenanceActivity) remain unchanged.",
    ),
    S(
        "Please note the new part number for the [air filter element](PhysicalObject) of the [screw compressor](PhysicalObject) made by [Kaeser](Manufacturer).",
        ("screw compressor", "hasPart", "air filter element"),
        ("screw compressor", "manufacturedBy", "Kaeser"),
    ),
    S(
        "The [ceramic plunger](PhysicalObject) is no longer available in [alumina](Material); [zirconia](Material) is offered as a replacement.",
        ("ceramic plunger", "madeOf", "zirconia"),
    ),
    S(
        "[Danfoss](Manufacturer) will stop selling the [orbital motor OMR 160](PhysicalObject) through [Hydroflex Distribution Ltd](Supplier) in June.",
        ("orbital motor OMR 160", "manufacturedBy", "Danfoss"),
        ("orbital motor OMR 160", "suppliedBy", "Hydroflex Distribution Ltd"),
    ),
    # --- equipment structure ----------------------------------------------------------------------------------
    S(
        "The [boiler feed pump P-12](PhysicalObject) has a [double mechanical seal](PhysicalObject) and two [angular contact bearings](PhysicalObject).",
        ("boiler feed pump P-12", "hasPart", "double mechanical seal"),
        ("boiler feed pump P-12", "hasPart", "angular contact bearings"),
    ),
    S(
        "The [gearbox](PhysicalObject) of mixer M-4 contains a [hollow output shaft](PhysicalObject) and a [backstop](PhysicalObject).",
        ("gearbox", "hasPart", "hollow output shaft"),
        ("gearbox", "hasPart", "backstop"),
    ),
    S(
        "Each [hydraulic cylinder](PhysicalObject) of the press uses one [rod seal kit RS-90](PhysicalObject) from [Tyne Hydraulics Ltd](Supplier).",
        ("hydraulic cylinder", "hasPart", "rod seal kit RS-90"),
        ("rod seal kit RS-90", "suppliedBy", "Tyne Hydraulics Ltd"),
    ),
    S(
        "The [chiller](PhysicalObject) at the [Brno plant](Site) includes a [scroll compressor](PhysicalObject) and a [plate heat exchanger](PhysicalObject).",
        ("chiller", "hasPart", "scroll compressor"),
        ("chiller", "hasPart", "plate heat exchanger"),
    ),
    S(
        "The [press brake](PhysicalObject) is fitted with a [gear pump](PhysicalObject) from [Marzocchi Pompe](Manufacturer).",
        ("press brake", "hasPart", "gear pump"),
        ("gear pump", "manufacturedBy", "Marzocchi Pompe"),
    ),
    S(
        "On conveyor CV-9 the [drive drum](PhysicalObject) runs in two [plummer block housings SNL 516](PhysicalObject).",
        ("drive drum", "hasPart", "plummer block housings SNL 516"),
    ),
    S(
        "The [extruder](PhysicalObject) screw is supported by a [thrust bearing 29420 E](PhysicalObject) made by [SKF](Manufacturer).",
        ("extruder", "hasPart", "thrust bearing 29420 E"),
        ("thrust bearing 29420 E", "manufacturedBy", "SKF"),
    ),
    S(
        "Pump [P-305](PhysicalObject) is driven by a [15 kW motor](PhysicalObject) through a [disc coupling](PhysicalObject).",
        ("P-305", "hasPart", "15 kW motor"),
        ("P-305", "hasPart", "disc coupling"),
    ),
    S(
        "The [robot gripper](PhysicalObject) uses a [pneumatic cylinder DSNU-25](PhysicalObject) supplied by [Festo](Supplier).",
        ("robot gripper", "hasPart", "pneumatic cylinder DSNU-25"),
        ("pneumatic cylinder DSNU-25", "suppliedBy", "Festo"),
    ),
    S(
        "The [spindle](PhysicalObject) of lathe L-2 carries a set of [hybrid bearings](PhysicalObject) with [silicon nitride](Material) balls.",
        ("spindle", "hasPart", "hybrid bearings"),
        ("hybrid bearings", "madeOf", "silicon nitride"),
    ),
    S(
        "The [cooling tower fan](PhysicalObject) has [GRP](Material) blades and a [right-angle gearbox](PhysicalObject).",
        ("cooling tower fan", "madeOf", "GRP"),
        ("cooling tower fan", "hasPart", "right-angle gearbox"),
    ),
    S(
        "The [hydraulic power unit](PhysicalObject) of the injection moulding machine contains a [return filter](PhysicalObject) and an [oil cooler](PhysicalObject).",
        ("hydraulic power unit", "hasPart", "return filter"),
        ("hydraulic power unit", "hasPart", "oil cooler"),
    ),
    S(
        "The [vacuum pump VP-3](PhysicalObject) at the [Gdańsk warehouse](Site) has [graphite vanes](PhysicalObject).",
        ("vacuum pump VP-3", "hasPart", "graphite vanes"),
    ),
    S(
        "Packaging line 2 has a [case erector](PhysicalObject) with a [servo motor](PhysicalObject) from [Siemens](Manufacturer).",
        ("case erector", "hasPart", "servo motor"),
        ("servo motor", "manufacturedBy", "Siemens"),
    ),
    S(
        "The [agitator](PhysicalObject) of tank T-7 uses a [lantern ring packing](PhysicalObject) made of [PTFE yarn](Material).",
        ("agitator", "hasPart", "lantern ring packing"),
        ("lantern ring packing", "madeOf", "PTFE yarn"),
    ),
    # --- failures, NCRs, 8D ------------------------------------------------------------------------------------
    S(
        "The [seal faces](PhysicalObject) showed [thermal cracking](FailureMode) after the pump ran dry for two minutes.",
        ("thermal cracking", "hasPatient", "seal faces"),
    ),
    S(
        "We found [spalling](FailureMode) on the inner ring of the [bearing 6310](PhysicalObject) supplied by [Brno Ložiska s.r.o.](Supplier).",
        ("spalling", "hasPatient", "bearing 6310"),
        ("bearing 6310", "suppliedBy", "Brno Ložiska s.r.o."),
    ),
    S(
        "[Cavitation damage](FailureMode) was visible on the suction side of the [impeller](PhysicalObject) of pump P-22.",
        ("Cavitation damage", "hasPatient", "impeller"),
    ),
    S(
        "The [hose assembly](PhysicalObject) from [Nordic Hose Oy](Supplier) suffered a [burst](FailureMode) at the crimp after only 400 hours.",
        ("hose assembly", "suppliedBy", "Nordic Hose Oy"),
        ("burst", "hasPatient", "hose assembly"),
    ),
    S(
        "NCR 2024-118: [O-rings](PhysicalObject) from [Lombardia Guarnizioni S.r.l.](Supplier) showed [swelling](FailureMode) in mineral oil.",
        ("O-rings", "suppliedBy", "Lombardia Guarnizioni S.r.l."),
        ("swelling", "hasPatient", "O-rings"),
    ),
    S(
        "[Excessive vibration](FailureMode) of the [fan motor](PhysicalObject) was traced to a loose foundation bolt.",
        ("Excessive vibration", "hasPatient", "fan motor"),
    ),
    S(
        "The [gear teeth](PhysicalObject) show [micropitting](FailureMode) over 30 % of the flank.",
        ("micropitting", "hasPatient", "gear teeth"),
    ),
    S(
        "Operators reported [oil leakage](FailureMode) at the [output shaft seal](PhysicalObject) of the gearbox.",
        ("oil leakage", "hasPatient", "output shaft seal"),
    ),
    S(
        "[Fretting corrosion](FailureMode) was found on the [shaft](PhysicalObject) under the coupling hub.",
        ("Fretting corrosion", "hasPatient", "shaft"),
    ),
    S(
        "The [V-belts](PhysicalObject) had [glazed flanks](FailureMode) because of slip during start-up.",
        ("glazed flanks", "hasPatient", "V-belts"),
    ),
    S(
        "An [electrical fault](FailureMode) in the [servo drive](PhysicalObject) stopped the cell for four hours.",
        ("electrical fault", "hasPatient", "servo drive"),
    ),
    S(
        "The [filter element](PhysicalObject) [collapsed](FailureMode) under differential pressure and released fibres into the system.",
        ("collapsed", "hasPatient", "filter element"),
    ),
    S(
        "8D root cause: [overheating](FailureMode) of the [bearing 22216 E](PhysicalObject) due to over-greasing.",
        ("overheating", "hasPatient", "bearing 22216 E"),
    ),
    S(
        "The [conveyor belt](PhysicalObject) suffered [edge damage](FailureMode) from a misaligned return idler.",
        ("edge damage", "hasPatient", "conveyor belt"),
    ),
    S(
        "Customer complaint: [corrosion](FailureMode) on the [zinc-plated brackets](PhysicalObject) after 200 h salt spray.",
        ("corrosion", "hasPatient", "zinc-plated brackets"),
    ),
    S(
        "The [coupling spider](PhysicalObject) was [hardened and cracked](FailureMode), causing knocking at start-up.",
        ("hardened and cracked", "hasPatient", "coupling spider"),
    ),
    S(
        "[Seizure](FailureMode) of the [piston pump](PhysicalObject) followed contamination of the oil with water.",
        ("Seizure", "hasPatient", "piston pump"),
    ),
    S(
        "Incoming inspection found [porosity](FailureMode) in three [valve bodies](PhysicalObject) cast by [Ohio Precision Castings LLC](Manufacturer).",
        ("porosity", "hasPatient", "valve bodies"),
        ("valve bodies", "manufacturedBy", "Ohio Precision Castings LLC"),
    ),
    S(
        "The [solenoid coil](PhysicalObject) [burned out](FailureMode) after the supply voltage rose to 27 V.",
        ("burned out", "hasPatient", "solenoid coil"),
    ),
    S(
        "[Wear](FailureMode) of the [ball screw nut](PhysicalObject) led to 20 µm backlash on the Y axis.",
        ("Wear", "hasPatient", "ball screw nut"),
    ),
    S(
        "[Internal leakage](FailureMode) across the [directional valve](PhysicalObject) made the cylinder creep under load.",
        ("Internal leakage", "hasPatient", "directional valve"),
    ),
    S(
        "The [bronze bushings](PhysicalObject) from [Hansa Industriebedarf KG](Supplier) showed [scoring](FailureMode) after the grease line broke.",
        ("bronze bushings", "suppliedBy", "Hansa Industriebedarf KG"),
        ("scoring", "hasPatient", "bronze bushings"),
    ),
    S(
        "[Blistering](FailureMode) of the [hose cover](PhysicalObject) indicates that oil is escaping through the inner tube.",
        ("Blistering", "hasPatient", "hose cover"),
    ),
    S(
        "The [motor winding](PhysicalObject) had an [insulation breakdown](FailureMode) between phases U and V.",
        ("insulation breakdown", "hasPatient", "motor winding"),
    ),
    S(
        "[Misalignment](FailureMode) between [pump](PhysicalObject) and motor was 0.4 mm, eight times the limit.",
        ("Misalignment", "hasPatient", "pump"),
    ),
    S(
        "After the power cut, the [air compressor](PhysicalObject) [failed to start](FailureMode) because of a faulty contactor.",
        ("failed to start", "hasPatient", "air compressor"),
    ),
    S(
        "The [chain](PhysicalObject) of the [bucket elevator](PhysicalObject) showed [elongation](FailureMode) of 3 % and must be replaced.",
        ("bucket elevator", "hasPart", "chain"),
        ("elongation", "hasPatient", "chain"),
    ),
    S(
        "The [PTFE gaskets](PhysicalObject) supplied by [Lombardia Guarnizioni S.r.l.](Supplier) exhibited [cold flow](FailureMode) at the flange.",
        ("PTFE gaskets", "suppliedBy", "Lombardia Guarnizioni S.r.l."),
        ("cold flow", "hasPatient", "PTFE gaskets"),
    ),
    S(
        "Laboratory analysis showed [pitting corrosion](FailureMode) on the [316L stainless steel](Material) [heat exchanger tubes](PhysicalObject).",
        ("pitting corrosion", "hasPatient", "heat exchanger tubes"),
        ("heat exchanger tubes", "madeOf", "316L stainless steel"),
    ),
    S(
        "The [timing belt](PhysicalObject) [jumped teeth](FailureMode) on the drive pulley because the tensioner was loose.",
        ("jumped teeth", "hasPatient", "timing belt"),
    ),
    S(
        "Investigation of the [sensor cable](PhysicalObject) [breakage](FailureMode) showed it was routed over a sharp edge.",
        ("breakage", "hasPatient", "sensor cable"),
    ),
    S(
        "The [gearbox](PhysicalObject) from [Alpine Drives AG](Manufacturer) had [noise](FailureMode) at the second stage within the warranty period.",
        ("gearbox", "manufacturedBy", "Alpine Drives AG"),
        ("noise", "hasPatient", "gearbox"),
    ),
    S(
        "[Clogging](FailureMode) of the [suction strainer](PhysicalObject) by scale reduced the pump flow by 20 %.",
        ("Clogging", "hasPatient", "suction strainer"),
    ),
    S(
        "A [crack](FailureMode) in the weld of the [press frame](PhysicalObject) was found during magnetic particle inspection.",
        ("crack", "hasPatient", "press frame"),
    ),
    S(
        "Quality alert: [delamination](FailureMode) of the [conveyor belt EP630/4](PhysicalObject) delivered by [Fenner Dunlop](Supplier).",
        ("delamination", "hasPatient", "conveyor belt EP630/4"),
        ("conveyor belt EP630/4", "suppliedBy", "Fenner Dunlop"),
    ),
    S(
        "The [encoder](PhysicalObject) produced [signal dropouts](FailureMode) whenever coolant reached the connector.",
        ("signal dropouts", "hasPatient", "encoder"),
    ),
    S(
        "[Extrusion](FailureMode) of the [piston seal](PhysicalObject) occurred because the gap exceeded 0.3 mm at 300 bar.",
        ("Extrusion", "hasPatient", "piston seal"),
    ),
    S(
        "Visual check showed [rust](FailureMode) on the raceways of the [spare bearings](PhysicalObject) stored without packaging.",
        ("rust", "hasPatient", "spare bearings"),
    ),
    S(
        "The [level switch](PhysicalObject) [stuck](FailureMode) in the high position because of foam build-up.",
        ("stuck", "hasPatient", "level switch"),
    ),
    # --- maintenance activities ------------------------------------------------------------------------------
    S(
        "Technician [replaced](MaintenanceActivity) the [mechanical seal](PhysicalObject) on pump P-17 and [realigned](MaintenanceActivity) the [motor](PhysicalObject).",
        ("replaced", "hasPatient", "mechanical seal"),
        ("realigned", "hasPatient", "motor"),
    ),
    S(
        "[Re-greased](MaintenanceActivity) the [fan bearings](PhysicalObject) with 12 g of lithium complex grease each.",
        ("Re-greased", "hasPatient", "fan bearings"),
    ),
    S(
        "[Vibration analysis](MaintenanceActivity) of the [blower](PhysicalObject) showed 2.1 mm/s, within zone A.",
        ("Vibration analysis", "hasPatient", "blower"),
    ),
    S(
        "[Overhaul](MaintenanceActivity) of the [piston pump](PhysicalObject) was carried out by [Bosch Rexroth Ltd](Supplier) service.",
        ("Overhaul", "hasPatient", "piston pump"),
    ),
    S(
        "The [thermographic survey](MaintenanceActivity) of the [switchboard](PhysicalObject) found a hot terminal at 85 °C.",
        ("thermographic survey", "hasPatient", "switchboard"),
    ),
    S(
        "[Changed](MaintenanceActivity) the [return filter element](PhysicalObject) and took an oil sample for particle counting.",
        ("Changed", "hasPatient", "return filter element"),
    ),
    S(
        "[Laser alignment](MaintenanceActivity) of [pump P-9](PhysicalObject) to its motor: offset 0.03 mm, angularity 0.02 mm/100 mm.",
        ("Laser alignment", "hasPatient", "pump P-9"),
    ),
    S(
        "[Ultrasonic thickness measurement](MaintenanceActivity) on the [pressure vessel](PhysicalObject) showed no wall loss.",
        ("Ultrasonic thickness measurement", "hasPatient", "pressure vessel"),
    ),
    S(
        "[Tensioned](MaintenanceActivity) the [V-belts](PhysicalObject) of fan F-2 with a sonic meter to 65 Hz.",
        ("Tensioned", "hasPatient", "V-belts"),
    ),
    S(
        "[Inspection](MaintenanceActivity) of the [hose assemblies](PhysicalObject) on press 4 found two hoses with worn covers.",
        ("Inspection", "hasPatient", "hose assemblies"),
    ),
    S(
        "[Cleaned](MaintenanceActivity) the [oil cooler](PhysicalObject) fins with compressed air and degreaser.",
        ("Cleaned", "hasPatient", "oil cooler"),
    ),
    S(
        "The [bearing 6312-2Z](PhysicalObject) was [renewed](MaintenanceActivity) during the planned outage; new part from [ERIKS](Supplier).",
        ("renewed", "hasPatient", "bearing 6312-2Z"),
        ("bearing 6312-2Z", "suppliedBy", "ERIKS"),
    ),
    S(
        "[Calibration](MaintenanceActivity) of the [pressure gauge](PhysicalObject) against the reference showed an error of 0.4 %.",
        ("Calibration", "hasPatient", "pressure gauge"),
    ),
    S(
        "[Oil change](MaintenanceActivity) on [gearbox G-3](PhysicalObject): 22 l CLP 320, magnetic plug clean.",
        ("Oil change", "hasPatient", "gearbox G-3"),
    ),
    S(
        "We [descaled](MaintenanceActivity) the [plate heat exchanger](PhysicalObject) with 5 % citric acid.",
        ("descaled", "hasPatient", "plate heat exchanger"),
    ),
    S(
        "[Magnetic particle inspection](MaintenanceActivity) of the [crane hook](PhysicalObject) found no indications.",
        ("Magnetic particle inspection", "hasPatient", "crane hook"),
    ),
    S(
        "[Replaced](MaintenanceActivity) both [carbon brushes](PhysicalObject) of the DC motor and cleaned the commutator.",
        ("Replaced", "hasPatient", "carbon brushes"),
    ),
    S(
        "Fitter [repacked](MaintenanceActivity) the [valve stem](PhysicalObject) with graphite packing rings.",
        ("repacked", "hasPatient", "valve stem"),
    ),
    S(
        "[Balancing](MaintenanceActivity) of the [fan impeller](PhysicalObject) reduced vibration from 7.8 to 1.9 mm/s.",
        ("Balancing", "hasPatient", "fan impeller"),
    ),
    S(
        "[Lubricated](MaintenanceActivity) the [roller chain](PhysicalObject) of the palletiser and checked its elongation.",
        ("Lubricated", "hasPatient", "roller chain"),
    ),
    S(
        "[Leak test](MaintenanceActivity) of the [compressed air network](PhysicalObject) found 14 leaks, mostly at quick couplings.",
        ("Leak test", "hasPatient", "compressed air network"),
    ),
    S(
        "The [motor](PhysicalObject) was [rewound](MaintenanceActivity) by [Pennine Electrical Services Ltd](Supplier) with class H insulation.",
        ("rewound", "hasPatient", "motor"),
    ),
    S(
        "[Borescope inspection](MaintenanceActivity) of the [gearbox](PhysicalObject) found no further pitting.",
        ("Borescope inspection", "hasPatient", "gearbox"),
    ),
    S(
        "[Adjusted](MaintenanceActivity) the [limit switch](PhysicalObject) of the press guard and tested the interlock.",
        ("Adjusted", "hasPatient", "limit switch"),
    ),
    S(
        "[Refurbishment](MaintenanceActivity) of the [ball screw](PhysicalObject) by [Hiwin](Supplier) takes three weeks.",
        ("Refurbishment", "hasPatient", "ball screw"),
    ),
    S(
        "[Replaced](MaintenanceActivity) the [hydraulic hose](PhysicalObject) between pump and valve block, old hose worn through at the clamp.",
        ("Replaced", "hasPatient", "hydraulic hose"),
    ),
    S(
        "[Checked](MaintenanceActivity) the [coupling buffers](PhysicalObject) of conveyor drive CV-5; no wear.",
        ("Checked", "hasPatient", "coupling buffers"),
    ),
    S(
        "Weekly [walk-down](MaintenanceActivity) of [pump P-40](PhysicalObject): no leaks, normal noise.",
        ("walk-down", "hasPatient", "pump P-40"),
    ),
    S(
        "[Flushing](MaintenanceActivity) of the [hydraulic system](PhysicalObject) until the oil reached cleanliness class 17/15/12.",
        ("Flushing", "hasPatient", "hydraulic system"),
    ),
    S(
        "[Fitted](MaintenanceActivity) an abrasion sleeve to the [pressure hose](PhysicalObject) where it touches the frame.",
        ("Fitted", "hasPatient", "pressure hose"),
    ),
    # --- work-order style, terse -------------------------------------------------------------------------------
    S(
        "repl [brg](PhysicalObject) NDE on fan mtr, [noisy](FailureMode), new brg from [Eriks](Supplier)",
        ("noisy", "hasPatient", "brg"),
        ("brg", "suppliedBy", "Eriks"),
    ),
    S(
        "[pmp](PhysicalObject) P-14 [lkg](FailureMode) at [gland](PhysicalObject), tightened 1/4 turn",
        ("pmp", "hasPart", "gland"),
        ("lkg", "hasPatient", "gland"),
    ),
    S("[chk](MaintenanceActivity) [vbelt](PhysicalObject) tension comp 2 ok", ("chk", "hasPatient", "vbelt")),
    S(
        "[hyd hose](PhysicalObject) [weeping](FailureMode) at fitting on press 3, repl by Pirtek",
        ("weeping", "hasPatient", "hyd hose"),
    ),
    S(
        "[gbox](PhysicalObject) [oil lk](FailureMode) output shaft, [seal](PhysicalObject) ordered",
        ("gbox", "hasPart", "seal"),
        ("oil lk", "hasPatient", "seal"),
    ),
    S(
        "[mtr](PhysicalObject) [tripped](FailureMode) on o/l, [fan cowl](PhysicalObject) blocked, [cleaned](MaintenanceActivity)",
        ("mtr", "hasPart", "fan cowl"),
        ("tripped", "hasPatient", "mtr"),
        ("cleaned", "hasPatient", "fan cowl"),
    ),
    S(
        "[filter](PhysicalObject) dP high, [chngd](MaintenanceActivity) elem",
        ("chngd", "hasPatient", "filter"),
    ),
    S(
        "[cyl](PhysicalObject) creeping, [int lkg](FailureMode) suspected, [seal kit](PhysicalObject) on order from [Tyne Hydraulics](Supplier)",
        ("int lkg", "hasPatient", "cyl"),
        ("cyl", "hasPart", "seal kit"),
        ("seal kit", "suppliedBy", "Tyne Hydraulics"),
    ),
    S(
        "[vib](FailureMode) high on [blower B-2](PhysicalObject) DE, 6.2 mm/s, plan brg change",
        ("vib", "hasPatient", "blower B-2"),
    ),
    S(
        "[greased](MaintenanceActivity) [idlers](PhysicalObject) conv 4, 2 seized - [repl](MaintenanceActivity)",
        ("greased", "hasPatient", "idlers"),
        ("repl", "hasPatient", "idlers"),
    ),
    S(
        "[coupling](PhysicalObject) [misaligned](FailureMode) after motor swap, [realigned](MaintenanceActivity) w/ laser",
        ("misaligned", "hasPatient", "coupling"),
        ("realigned", "hasPatient", "coupling"),
    ),
    S(
        "[compressor](PhysicalObject) [not starting](FailureMode), [contactor](PhysicalObject) burnt, replaced",
        ("compressor", "hasPart", "contactor"),
        ("not starting", "hasPatient", "compressor"),
    ),
    S(
        "[spindle](PhysicalObject) [overheat](FailureMode) alarm x3 this wk",
        ("overheat", "hasPatient", "spindle"),
    ),
    S(
        "[o-ring](PhysicalObject) on [filter bowl](PhysicalObject) [cracked](FailureMode), new one [FKM](Material)",
        ("filter bowl", "hasPart", "o-ring"),
        ("cracked", "hasPatient", "o-ring"),
        ("o-ring", "madeOf", "FKM"),
    ),
    S(
        "[impeller](PhysicalObject) [eroded](FailureMode), sent to [Tatra Pumps](Supplier) for rebuild",
        ("eroded", "hasPatient", "impeller"),
    ),
    S(
        "[belt splice](PhysicalObject) [lifting](FailureMode) - [re-pinned](MaintenanceActivity)",
        ("lifting", "hasPatient", "belt splice"),
        ("re-pinned", "hasPatient", "belt splice"),
    ),
    # --- mixed, longer sentences -------------------------------------------------------------------------------
    S(
        "The [stainless steel 304](Material) [tank](PhysicalObject) was delivered by [Tatra Pumps a.s.](Supplier) together with an [agitator](PhysicalObject).",
        ("tank", "madeOf", "stainless steel 304"),
        ("tank", "suppliedBy", "Tatra Pumps a.s."),
        ("tank", "hasPart", "agitator"),
    ),
    S(
        "After the [bearing failure](FailureMode) on the [fan](PhysicalObject), [Norrland Bearings AB](Supplier) analysed the part and found lubricant starvation.",
        ("bearing failure", "hasPatient", "fan"),
    ),
    S(
        "The [seal kit](PhysicalObject) from [Tyne Hydraulics Ltd](Supplier) contains [polyurethane](Material) rod seals and [PTFE](Material) guide strips.",
        ("seal kit", "suppliedBy", "Tyne Hydraulics Ltd"),
        ("seal kit", "madeOf", "polyurethane"),
        ("seal kit", "madeOf", "PTFE"),
    ),
    S(
        "A [leak](FailureMode) at the [heat exchanger](PhysicalObject) gasket was fixed by [replacing](MaintenanceActivity) the [EPDM](Material) [gasket](PhysicalObject).",
        ("leak", "hasPatient", "heat exchanger"),
        ("replacing", "hasPatient", "gasket"),
        ("gasket", "madeOf", "EPDM"),
        ("heat exchanger", "hasPart", "gasket"),
    ),
    S(
        "Because [Vistula Hydraulics Sp. z o.o.](Supplier) could not deliver, [Nordic Hose Oy](Supplier) supplied the [hose assemblies](PhysicalObject) for the [Poznań plant](Site).",
        ("hose assemblies", "suppliedBy", "Nordic Hose Oy"),
    ),
    S(
        "The [pump casing](PhysicalObject) made of [EN-GJS-400-15](Material) by [Moravské Slévárny a.s.](Manufacturer) passed the hydrostatic test at [24 bar](Property).",
        ("pump casing", "madeOf", "EN-GJS-400-15"),
        ("pump casing", "manufacturedBy", "Moravské Slévárny a.s."),
        ("pump casing", "hasProperty", "24 bar"),
    ),
    S(
        "[Rotterdam Filtration B.V.](Supplier) recommends [changing](MaintenanceActivity) the [breather filter](PhysicalObject) every six months.",
        ("breather filter", "suppliedBy", "Rotterdam Filtration B.V."),
        ("changing", "hasPatient", "breather filter"),
    ),
    S(
        "The [screw conveyor](PhysicalObject) at the [Ostrava site](Site) was built by [Tatra Pumps a.s.](Manufacturer) with a [Hardox 400](Material) flight.",
        ("screw conveyor", "manufacturedBy", "Tatra Pumps a.s."),
        ("screw conveyor", "madeOf", "Hardox 400"),
    ),
    S(
        "Samples of [NBR 70](Material) from [Baltic Elastomers UAB](Supplier) met the [hardness of 70 ± 5 Shore A](Property).",
        ("NBR 70", "suppliedBy", "Baltic Elastomers UAB"),
        ("NBR 70", "hasProperty", "hardness of 70 ± 5 Shore A"),
    ),
    S(
        "[Gear pump](PhysicalObject) [wear](FailureMode) reduced the [delivery of 32 l/min](Property) to 24 l/min.",
        ("wear", "hasPatient", "Gear pump"),
        ("Gear pump", "hasProperty", "delivery of 32 l/min"),
    ),
    S(
        "The [linear guide](PhysicalObject) from [Hiwin](Manufacturer) is an accepted alternative to the [THK](Manufacturer) [guide block](PhysicalObject) on the router.",
        ("linear guide", "manufacturedBy", "Hiwin"),
        ("guide block", "manufacturedBy", "THK"),
    ),
    S(
        "The [dust collector](PhysicalObject) at the [Leeds plant](Site) uses [polyester](Material) [filter bags](PhysicalObject) from [Rotterdam Filtration B.V.](Supplier).",
        ("dust collector", "hasPart", "filter bags"),
        ("filter bags", "madeOf", "polyester"),
        ("filter bags", "suppliedBy", "Rotterdam Filtration B.V."),
    ),
    S(
        "During the [annual inspection](MaintenanceActivity) of the [crane](PhysicalObject), [wire rope](PhysicalObject) [broken wires](FailureMode) were counted.",
        ("annual inspection", "hasPatient", "crane"),
        ("crane", "hasPart", "wire rope"),
        ("broken wires", "hasPatient", "wire rope"),
    ),
    S(
        "[Kowloon Precision Ltd.](Manufacturer) makes the [ball cage](PhysicalObject) from [brass](Material) for high-speed applications.",
        ("ball cage", "manufacturedBy", "Kowloon Precision Ltd."),
        ("ball cage", "madeOf", "brass"),
    ),
    S(
        "[Schaeffler](Supplier) offered the [FAG](Manufacturer) [bearing 6312-C3](PhysicalObject) with a six-week lead time.",
        ("bearing 6312-C3", "suppliedBy", "Schaeffler"),
        ("bearing 6312-C3", "manufacturedBy", "FAG"),
    ),
    S(
        "The [fuel pump](PhysicalObject) of the standby generator at the [Tampere plant](Site) showed [sticking](FailureMode) after long idle periods.",
        ("sticking", "hasPatient", "fuel pump"),
    ),
    S(
        "[Pennine Electrical Services Ltd](Supplier) will [rewind](MaintenanceActivity) the [22 kW motor](PhysicalObject) and replace its [bearings](PhysicalObject).",
        ("rewind", "hasPatient", "22 kW motor"),
        ("22 kW motor", "hasPart", "bearings"),
    ),
    S(
        "The [door seal](PhysicalObject) of the oven is [silicone rubber](Material) rated to [250 °C](Property).",
        ("door seal", "madeOf", "silicone rubber"),
        ("door seal", "hasProperty", "250 °C"),
    ),
    S(
        "The [coolant pump](PhysicalObject) from [Brinkmann](Manufacturer) has a [stainless steel](Material) [immersion shaft](PhysicalObject).",
        ("coolant pump", "manufacturedBy", "Brinkmann"),
        ("coolant pump", "hasPart", "immersion shaft"),
        ("immersion shaft", "madeOf", "stainless steel"),
    ),
    S(
        "[Marzocchi Pompe](Manufacturer) confirmed that [cavitation](FailureMode) had damaged the [gear pump](PhysicalObject) returned under warranty.",
        ("cavitation", "hasPatient", "gear pump"),
        ("gear pump", "manufacturedBy", "Marzocchi Pompe"),
    ),
    S(
        "[Midlands Transmission Supplies Ltd](Supplier) delivered the wrong [sprocket](PhysicalObject), 19 teeth instead of 21.",
        ("sprocket", "suppliedBy", "Midlands Transmission Supplies Ltd"),
    ),
    S(
        "The [air receiver](PhysicalObject) at the [Wrocław site](Site) was [pressure tested](MaintenanceActivity) to [16.5 bar](Property) by the inspector.",
        ("pressure tested", "hasPatient", "air receiver"),
        ("air receiver", "hasProperty", "16.5 bar"),
    ),
    S(
        "[Hydroflex Distribution Ltd](Supplier) supplied [hydraulic oil HVLP 46](Material) with a [viscosity index of 150](Property).",
        ("hydraulic oil HVLP 46", "suppliedBy", "Hydroflex Distribution Ltd"),
        ("hydraulic oil HVLP 46", "hasProperty", "viscosity index of 150"),
    ),
    S(
        "The [brake disc](PhysicalObject) of the hoist is [grey cast iron](Material) and showed [heat checking](FailureMode).",
        ("brake disc", "madeOf", "grey cast iron"),
        ("heat checking", "hasPatient", "brake disc"),
    ),
    S(
        "[Festo](Manufacturer) [valve terminal](PhysicalObject) VTUG: one [solenoid](PhysicalObject) with [no switching](FailureMode), [replaced](MaintenanceActivity).",
        ("valve terminal", "manufacturedBy", "Festo"),
        ("valve terminal", "hasPart", "solenoid"),
        ("no switching", "hasPatient", "solenoid"),
        ("replaced", "hasPatient", "solenoid"),
    ),
    S(
        "The [packing gland](PhysicalObject) of the [slurry pump](PhysicalObject) uses [aramid](Material) packing.",
        ("slurry pump", "hasPart", "packing gland"),
        ("packing gland", "madeOf", "aramid"),
    ),
    S(
        "Goods receipt rejected 30 [bolts](PhysicalObject) from [Midlands Fasteners plc](Supplier): [thread damage](FailureMode) on 12 pieces.",
        ("bolts", "suppliedBy", "Midlands Fasteners plc"),
        ("thread damage", "hasPatient", "bolts"),
    ),
    S(
        "The [sealless magnetic drive pump](PhysicalObject) by [Tatra Pumps a.s.](Manufacturer) has a [containment shell](PhysicalObject) in [Hastelloy C-276](Material).",
        ("sealless magnetic drive pump", "manufacturedBy", "Tatra Pumps a.s."),
        ("sealless magnetic drive pump", "hasPart", "containment shell"),
        ("containment shell", "madeOf", "Hastelloy C-276"),
    ),
    S(
        "[Kestrel Seals Ltd](Supplier) proposed a [split seal](PhysicalObject) so that the [mixer](PhysicalObject) need not be dismantled for seal changes.",
        ("split seal", "suppliedBy", "Kestrel Seals Ltd"),
    ),
    S(
        "We ask [Alpine Drives AG](Supplier) to confirm the [service factor of 1.5](Property) for the [bevel gearbox](PhysicalObject).",
        ("bevel gearbox", "suppliedBy", "Alpine Drives AG"),
        ("bevel gearbox", "hasProperty", "service factor of 1.5"),
    ),
    S(
        "The [sprinkler pump](PhysicalObject) at the [Brno plant](Site) was [test run](MaintenanceActivity) weekly for 30 minutes.",
        ("test run", "hasPatient", "sprinkler pump"),
    ),
    S(
        "[Maple Leaf Couplings Corp.](Manufacturer) produced the [grid coupling](PhysicalObject) with a [spring steel](Material) grid.",
        ("grid coupling", "manufacturedBy", "Maple Leaf Couplings Corp."),
        ("grid coupling", "madeOf", "spring steel"),
    ),
    S(
        "Replacement of the [worn](FailureMode) [wear rings](PhysicalObject) restored the [efficiency of 78 %](Property) of the [pump](PhysicalObject).",
        ("worn", "hasPatient", "wear rings"),
        ("pump", "hasPart", "wear rings"),
        ("pump", "hasProperty", "efficiency of 78 %"),
    ),
    S(
        "[Danube Valves Kft.](Manufacturer) guarantees [leak tightness class A](Property) for the [gate valve DN150](PhysicalObject).",
        ("gate valve DN150", "manufacturedBy", "Danube Valves Kft."),
        ("gate valve DN150", "hasProperty", "leak tightness class A"),
    ),
    S(
        "The [tooth belt](PhysicalObject) of the [linear axis](PhysicalObject) is reinforced with [steel cord](Material) and made by [Brecoflex](Manufacturer).",
        ("linear axis", "hasPart", "tooth belt"),
        ("tooth belt", "madeOf", "steel cord"),
        ("tooth belt", "manufacturedBy", "Brecoflex"),
    ),
    S(
        "[Iberia Transmisiones S.L.](Supplier) sent [sprockets](PhysicalObject) in [C45](Material) with hardened teeth.",
        ("sprockets", "suppliedBy", "Iberia Transmisiones S.L."),
        ("sprockets", "madeOf", "C45"),
    ),
    S(
        "[Sakura Bearing Co., Ltd.](Manufacturer) claims a [limiting speed of 18 000 rpm](Property) for the [bearing 7008 C](PhysicalObject).",
        ("bearing 7008 C", "manufacturedBy", "Sakura Bearing Co., Ltd."),
        ("bearing 7008 C", "hasProperty", "limiting speed of 18 000 rpm"),
    ),
    S(
        "After [resurfacing](MaintenanceActivity), the [press platen](PhysicalObject) had a [flatness of 0.02 mm](Property).",
        ("resurfacing", "hasPatient", "press platen"),
        ("press platen", "hasProperty", "flatness of 0.02 mm"),
    ),
    S(
        "[Pall](Manufacturer) [coalescer element](PhysicalObject) [plugged](FailureMode) after 900 h because of high water content.",
        ("coalescer element", "manufacturedBy", "Pall"),
        ("plugged", "hasPatient", "coalescer element"),
    ),
    S(
        "The [cutting tool holder](PhysicalObject) is [hardened tool steel](Material) from [Ohio Precision Castings LLC](Supplier).",
        ("cutting tool holder", "madeOf", "hardened tool steel"),
        ("cutting tool holder", "suppliedBy", "Ohio Precision Castings LLC"),
    ),
    S(
        "The [rubber lining](PhysicalObject) of the [chute](PhysicalObject) is [natural rubber](Material) with [abrasion loss of 60 mm³](Property).",
        ("chute", "hasPart", "rubber lining"),
        ("rubber lining", "madeOf", "natural rubber"),
        ("natural rubber", "hasProperty", "abrasion loss of 60 mm³"),
    ),
    S(
        "[Brammer Buck & Hickman](Supplier) supplied [safety couplings](PhysicalObject) made by [Mayr](Manufacturer) for the [Sheffield site](Site).",
        ("safety couplings", "suppliedBy", "Brammer Buck & Hickman"),
        ("safety couplings", "manufacturedBy", "Mayr"),
    ),
    S(
        "The [bearing housing](PhysicalObject) [ran hot](FailureMode) at 95 °C; [relubrication](MaintenanceActivity) brought it down to 60 °C.",
        ("ran hot", "hasPatient", "bearing housing"),
        ("relubrication", "hasPatient", "bearing housing"),
    ),
    S(
        "The [compressor valve plate](PhysicalObject) from [Hoerbiger](Manufacturer) [fractured](FailureMode) after 6000 h.",
        ("compressor valve plate", "manufacturedBy", "Hoerbiger"),
        ("fractured", "hasPatient", "compressor valve plate"),
    ),
    S(
        "[Fluid Connectors UK Ltd](Supplier) offers [stainless steel](Material) [compression fittings](PhysicalObject) as a drop-in replacement.",
        ("compression fittings", "suppliedBy", "Fluid Connectors UK Ltd"),
        ("compression fittings", "madeOf", "stainless steel"),
    ),
    S(
        "The [bag filter](PhysicalObject) housing at [Plant Gamma – Rotterdam](Site) was [opened and cleaned](MaintenanceActivity) after a pressure alarm.",
        ("opened and cleaned", "hasPatient", "bag filter"),
    ),
    S(
        "[Delamination](FailureMode) of the [PTFE coating](PhysicalObject) on the [mould](PhysicalObject) caused sticking parts.",
        ("mould", "hasPart", "PTFE coating"),
        ("Delamination", "hasPatient", "PTFE coating"),
    ),
    S(
        "[Norrland Bearings AB](Manufacturer) produces the [slewing ring](PhysicalObject) of the [excavator](PhysicalObject) from [42CrMo4](Material).",
        ("slewing ring", "manufacturedBy", "Norrland Bearings AB"),
        ("excavator", "hasPart", "slewing ring"),
        ("slewing ring", "madeOf", "42CrMo4"),
    ),
    S(
        "The [rotor](PhysicalObject) of the [centrifuge](PhysicalObject) was [dynamically balanced](MaintenanceActivity) at the workshop of [Alpine Drives AG](Supplier).",
        ("centrifuge", "hasPart", "rotor"),
        ("dynamically balanced", "hasPatient", "rotor"),
    ),
    S(
        "[Kaeser](Manufacturer) lists a [free air delivery of 10.6 m³/min](Property) for the [screw compressor SK 25](PhysicalObject).",
        ("screw compressor SK 25", "manufacturedBy", "Kaeser"),
        ("screw compressor SK 25", "hasProperty", "free air delivery of 10.6 m³/min"),
    ),
    S(
        "The [shaft sleeve](PhysicalObject) had a [groove](FailureMode) under the packing and was [hard-chromed](MaintenanceActivity) by [Tyne Hydraulics Ltd](Supplier).",
        ("groove", "hasPatient", "shaft sleeve"),
        ("hard-chromed", "hasPatient", "shaft sleeve"),
    ),
    S(
        "[Hansa Industriebedarf KG](Supplier) is the distributor, [Brenner Dichtungstechnik GmbH](Manufacturer) the maker of the [PTFE](Material) [V-ring packing](PhysicalObject).",
        ("V-ring packing", "suppliedBy", "Hansa Industriebedarf KG"),
        ("V-ring packing", "manufacturedBy", "Brenner Dichtungstechnik GmbH"),
        ("V-ring packing", "madeOf", "PTFE"),
    ),
    S(
        "The [brake lining](PhysicalObject) of the [hoist](PhysicalObject) showed [uneven wear](FailureMode) and was [replaced](MaintenanceActivity).",
        ("hoist", "hasPart", "brake lining"),
        ("uneven wear", "hasPatient", "brake lining"),
        ("replaced", "hasPatient", "brake lining"),
    ),
    S(
        "Supplier [Pune Forgings Pvt. Ltd.](Supplier) reported a [yield strength of 750 MPa](Property) for the [flange](PhysicalObject) forgings.",
        ("flange", "suppliedBy", "Pune Forgings Pvt. Ltd."),
        ("flange", "hasProperty", "yield strength of 750 MPa"),
    ),
    S(
        "The [thermocouple](PhysicalObject) in the [furnace](PhysicalObject) gave [drifting readings](FailureMode) and was [recalibrated](MaintenanceActivity).",
        ("furnace", "hasPart", "thermocouple"),
        ("drifting readings", "hasPatient", "thermocouple"),
        ("recalibrated", "hasPatient", "thermocouple"),
    ),
]

_MARK = re.compile(r"\[([^\[\]]+)\]\(([A-Za-z]+)\)")


def convert(markup: str) -> tuple[str, list[dict]]:
    """Strip the markup and return (text, entities with offsets into text)."""
    text_parts: list[str] = []
    entities: list[dict] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(markup):
        before = markup[pos : m.start()]
        text_parts.append(before)
        length += len(before)
        surface, label = m.group(1), m.group(2)
        entities.append({"start": length, "end": length + len(surface), "label": label, "_surface": surface})
        text_parts.append(surface)
        length += len(surface)
        pos = m.end()
    text_parts.append(markup[pos:])
    return "".join(text_parts), entities


def _index(entities: list[dict], ref: str, sid: str) -> int:
    surface, _, nth = ref.partition("#")
    hits = [i for i, e in enumerate(entities) if e["_surface"] == surface]
    n = int(nth) if nth else 1
    if not hits or (not nth and len(hits) > 1) or n > len(hits):
        raise ValueError(f"{sid}: relation endpoint {ref!r} matches {len(hits)} entities")
    return hits[n - 1]


def build() -> list[dict]:
    records = []
    for number, (markup, *relations) in enumerate(SENTENCES, 1):
        sid = f"sup-{number:03d}"
        if "[" in _MARK.sub("", markup) and "](" in _MARK.sub("", markup):
            raise ValueError(f"{sid}: unbalanced markup")
        text, entities = convert(markup)
        for e in entities:
            if e["label"] not in LABELS:
                raise ValueError(f"{sid}: unknown entity label {e['label']}")
            if text[e["start"] : e["end"]] != e["_surface"]:
                raise ValueError(f"{sid}: offset mismatch for {e['_surface']!r}")
        rels = []
        for head, label, tail in relations:
            if label not in RELATIONS:
                raise ValueError(f"{sid}: unknown relation label {label}")
            h, t = _index(entities, head, sid), _index(entities, tail, sid)
            dom, rng = RELATIONS[label]
            if entities[h]["label"] not in dom or entities[t]["label"] not in rng:
                raise ValueError(
                    f"{sid}: {label} {entities[h]['label']} -> {entities[t]['label']} outside domain/range"
                )
            rel = {"head": h, "tail": t, "label": label}
            if rel in rels:
                raise ValueError(f"{sid}: duplicate relation {rel}")
            rels.append(rel)
        records.append(
            {
                "id": sid,
                "text": text,
                "entities": [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in entities],
                "relations": rels,
            }
        )
    return records


def check_leak(records: list[dict], n: int = 7) -> list[str]:
    """Sentences sharing a run of n words with a gold-annotated document."""
    sys.path.insert(0, str(Path(__file__).parent))
    from check_gold import DOCS, GOLD, document_text

    def grams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}

    gold_grams: set[tuple[str, ...]] = set()
    for g in GOLD.glob("*__*.json"):
        gold_grams |= grams(document_text(DOCS / json.loads(g.read_text(encoding="utf-8"))["document"]))
    return [r["id"] for r in records if grams(r["text"]) & gold_grams]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="also check overlap with the gold documents")
    args = parser.parse_args(argv)
    records = build()
    texts = [r["text"] for r in records]
    if len(set(texts)) != len(texts):
        raise ValueError("duplicate sentence text")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_ent = sum(len(r["entities"]) for r in records)
    n_rel = sum(len(r["relations"]) for r in records)
    print(f"wrote {OUT.relative_to(SAMPLES)}: {len(records)} sentences, {n_ent} entities, {n_rel} relations")
    if args.check:
        leaks = check_leak(records)
        print("overlap with gold documents (7-word runs):", leaks or "none")
        return 1 if leaks else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
