// mfg-kg saved queries for Neo4j Browser.
// Each query starts at a "// name:" line. The comment lines below it say what it does, the ":param" lines
// set example parameters (replace the ids with ones from "Find entities by name"), and the query ends
// with ";". See docs/NEO4J.md for how to import them as Browser favorites.
// Only portable Cypher is used (the same text runs on embedded FalkorDB).

// name: Find entities by name
// Start here: look up the ids the other queries take. Case-insensitive match on name and aliases.
:param text => 'pump';
MATCH (n:Entity)
WHERE toLower(n.name) CONTAINS toLower($text)
   OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) CONTAINS toLower($text))
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS class, n.name AS name,
       n.confidence AS confidence, coalesce(n.support, 0) AS documents
ORDER BY documents DESC, name, id
LIMIT 25;

// name: Failure chains of an equipment (graph)
// Cause -> failure mode -> effect for an equipment and its parts down to three HAS_PART levels.
// Shows the result as a graph; use the table version below for a report.
:param equipment_id => 'Equipment:p-101 feed pump';
MATCH (eq:Equipment)
WHERE eq.id = $equipment_id
MATCH chain = (eq)-[:HAS_PART*0..3]->(item:Entity)-[:HAS_FAILURE_MODE]->(fm:FailureMode)
OPTIONAL MATCH cause = (:FailureCause)-[:CAUSES]->(fm)
OPTIONAL MATCH effect = (fm)-[:CAUSES]->(:FailureEffect)
RETURN chain, cause, effect
LIMIT 300;

// name: Failure chains of an equipment (table)
// One row per failure mode on the equipment or one of its parts, with causes, effects and RPN.
:param equipment_id => 'Equipment:p-101 feed pump';
MATCH (eq:Equipment)
WHERE eq.id = $equipment_id
MATCH (eq)-[:HAS_PART*0..3]->(item:Entity)-[r:HAS_FAILURE_MODE]->(fm:FailureMode)
OPTIONAL MATCH (cause:FailureCause)-[:CAUSES]->(fm)
OPTIONAL MATCH (fm)-[:CAUSES]->(effect:FailureEffect)
RETURN item.name AS item, fm.name AS failure_mode, coalesce(r.rpn, fm.rpn) AS rpn,
       collect(DISTINCT cause.name) AS causes, collect(DISTINCT effect.name) AS effects
ORDER BY rpn DESC, item, failure_mode;

// name: Highest-RPN failure modes
// Failure modes ranked by risk priority number (RPN = severity x occurrence x detection), with the
// equipment or part they occur on. RPN stored on the HAS_FAILURE_MODE relationship wins over the node's.
:param limit => 20;
MATCH (fm:FailureMode)
OPTIONAL MATCH (item:Entity)-[r:HAS_FAILURE_MODE]->(fm)
WITH fm, item, coalesce(r.rpn, fm.rpn) AS rpn, coalesce(r.severity, fm.severity) AS severity,
     coalesce(r.occurrence, fm.occurrence) AS occurrence, coalesce(r.detection, fm.detection) AS detection
WHERE rpn IS NOT NULL
RETURN fm.id AS id, fm.name AS failure_mode, fm.failure_mode_code AS code, item.name AS occurs_on,
       rpn, severity, occurrence, detection
ORDER BY rpn DESC, failure_mode, occurs_on, id
LIMIT $limit;

// name: Mitigation and detection of a failure mode
// What prevents, mitigates or detects a failure mode, and its known causes and effects.
:param failure_mode_id => 'FailureMode:seal leakage';
MATCH (fm:FailureMode)
WHERE fm.id = $failure_mode_id
OPTIONAL MATCH (fm)-[:MITIGATED_BY]->(mitigation:Entity)
WITH fm, collect(DISTINCT mitigation.name) AS mitigations
OPTIONAL MATCH (fm)-[:DETECTED_BY]->(detection:Entity)
WITH fm, mitigations, collect(DISTINCT detection.name) AS detections
OPTIONAL MATCH (cause:FailureCause)-[:CAUSES]->(fm)
WITH fm, mitigations, detections, collect(DISTINCT cause.name) AS causes
OPTIONAL MATCH (fm)-[:CAUSES]->(effect:Entity)
RETURN fm.name AS failure_mode, fm.rpn AS rpn, causes, collect(DISTINCT effect.name) AS effects,
       mitigations, detections;

// name: Supplier impact
// If this supplier cannot deliver: its parts, the equipment and products built from them (up to four
// HAS_PART levels), their sites, and whether another supplier or an alternative part covers each part.
:param supplier_id => 'Supplier:skf group';
MATCH (s:Entity)
WHERE s.id = $supplier_id
MATCH (part:Part)-[:SUPPLIED_BY]->(s)
OPTIONAL MATCH (top:Entity)-[:HAS_PART*1..4]->(part)
WHERE top:Equipment OR top:Product
OPTIONAL MATCH (top)-[:LOCATED_AT]->(site:Site)
WITH s, part, collect(DISTINCT top.name) AS used_in, collect(DISTINCT site.name) AS sites
OPTIONAL MATCH (part)-[:SUPPLIED_BY]->(other:Entity)
WHERE other <> s
WITH s, part, used_in, sites, collect(DISTINCT other.name) AS other_suppliers
OPTIONAL MATCH (part)-[:ALTERNATIVE_TO]-(alt:Part)
WITH part, used_in, sites, other_suppliers, collect(DISTINCT alt.name) AS alternatives
RETURN part.id AS part_id, part.name AS part, part.part_number AS part_number, used_in, sites,
       other_suppliers, alternatives, size(other_suppliers) + size(alternatives) = 0 AS uncovered
ORDER BY uncovered DESC, size(used_in) DESC, part;

// name: Single-source parts
// Parts with exactly one supplier, where they are used, and any alternative part on record.
MATCH (part:Part)-[:SUPPLIED_BY]->(s:Entity)
WITH part, collect(DISTINCT s) AS suppliers
WHERE size(suppliers) = 1
OPTIONAL MATCH (top:Entity)-[:HAS_PART*1..4]->(part)
WHERE top:Equipment OR top:Product
WITH part, suppliers[0] AS supplier, collect(DISTINCT top.name) AS used_in
OPTIONAL MATCH (part)-[:ALTERNATIVE_TO]-(alt:Part)
RETURN part.id AS part_id, part.name AS part, part.part_number AS part_number,
       supplier.name AS only_supplier, used_in, collect(DISTINCT alt.name) AS alternatives
ORDER BY size(used_in) DESC, part;

// name: Alternative suppliers of a part
// Who supplies this part today, which parts are recorded as alternatives to it, and who supplies those.
:param part_id => 'Part:62052rsc3';
MATCH (part:Part)
WHERE part.id = $part_id
OPTIONAL MATCH (part)-[:SUPPLIED_BY]->(s:Entity)
WITH part, collect(DISTINCT s.name) AS current_suppliers
OPTIONAL MATCH (part)-[:ALTERNATIVE_TO]-(alt:Part)
OPTIONAL MATCH (alt)-[:SUPPLIED_BY]->(alt_supplier:Entity)
RETURN part.name AS part, current_suppliers, alt.id AS alternative_id, alt.name AS alternative,
       alt.part_number AS alternative_part_number, collect(DISTINCT alt_supplier.name) AS alternative_suppliers;

// name: Where-used of a part
// Every equipment, product or assembly that contains the part, directly or through sub-assemblies.
:param part_id => 'Part:62052rsc3';
MATCH (part:Part)
WHERE part.id = $part_id
MATCH path = (top:Entity)-[:HAS_PART*1..5]->(part)
OPTIONAL MATCH (top)-[:LOCATED_AT]->(site:Site)
RETURN top.id AS id, [l IN labels(top) WHERE l <> 'Entity'][0] AS class, top.name AS name,
       length(path) AS depth, [n IN nodes(path) | n.name] AS via, collect(DISTINCT site.name) AS sites
ORDER BY depth, name;

// name: Sources of a relationship
// The documents and text spans behind every relationship from one entity to another: one Evidence
// record per (relationship, document). Evidence strings are "doc|start|end|extractor|confidence".
:param source_id => 'Equipment:p-101 feed pump';
:param target_id => 'Part:62052rsc3';
MATCH (a:Entity)
WHERE a.id = $source_id
MATCH (a)-[r]->(b:Entity)
WHERE b.id = $target_id
MATCH (x:Evidence)
WHERE x.edge = r.id
UNWIND x.evidence AS ev
WITH a, r, b, split(ev, '|') AS f
OPTIONAL MATCH (d:Document)
WHERE d.id = f[0]
RETURN type(r) AS relationship, f[0] AS document, d.path AS path, toInteger(f[1]) AS span_start,
       toInteger(f[2]) AS span_end, f[3] AS extractor, toFloat(f[4]) AS confidence,
       r.first_seen AS first_seen, r.last_seen AS last_seen
ORDER BY relationship, confidence DESC;

// name: Entities mentioned in a document
// Everything extracted from one document, grouped by class.
:param doc_id => 'maintenance-log-2024-03';
MATCH (d:Document)
WHERE d.id = $doc_id
MATCH (n:Entity)-[:MENTIONED_IN]->(d)
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS class, n.id AS id, n.name AS name,
       n.confidence AS confidence
ORDER BY class, name;

// name: Documents
// The loaded documents, with how many entities each one mentions (to pick a doc_id).
MATCH (d:Document)
OPTIONAL MATCH (n:Entity)-[:MENTIONED_IN]->(d)
RETURN d.id AS id, d.path AS path, count(n) AS entities
ORDER BY entities DESC, id;
