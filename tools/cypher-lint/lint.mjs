#!/usr/bin/env node
// Lint Cypher statements with Neo4j's own linter (@neo4j-cypher/language-support, Cypher 5 rules).
//
// Usage:  node lint.mjs statements.json      (or: node lint.mjs - < statements.json, or stdin)
//
// Input is JSON, either a list of statements or an object with schema fields around them:
//   [{"name": "by id", "query": "MATCH (n:Entity) WHERE n.id = $id RETURN n", "params": ["id"]}]
//   {"labels": ["Entity", ...], "relationshipTypes": ["HAS_PART", ...], "propertyKeys": ["id", ...],
//    "builtins": true, "statements": [...]}
// "params" is a list of parameter names (declared with dummy values) or an object {name: example value}.
// A parameter used in a query but not declared there is an error, as in Neo4j Browser.
// With "labels" AND "relationshipTypes" given, unknown labels/types are reported as warnings.
// "builtins" (default true) loads the Neo4j 5 built-in function/procedure registry shipped with the
// package, so unknown functions/procedures (FalkorDB-only ones, APOC, removed ones) are errors.
// "consoleCommands" (default false) lets Browser commands such as `:param x => 1;` through.
//
// Output (stdout): {"checked": N, "errors": [...], "warnings": [...]}; each diagnostic has the statement
// name, index, 1-based line/column (start and end), character offsets and the message.
// Exit status: 0 no errors, 1 at least one error, 2 unusable input.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The package's ESM build uses extension-less relative imports that Node's ESM loader rejects, so load
// its CommonJS build (the package's "require" export) instead.
const require = createRequire(import.meta.url);
const { lintCypherQuery, testData } = require('@neo4j-cypher/language-support');

const CYPHER_VERSION = 'CYPHER 5';
const SEVERITY_ERROR = 1;
const SEVERITY_WARNING = 2;

function fail(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

function readInput(arg) {
  try {
    return !arg || arg === '-' ? readFileSync(0, 'utf8') : readFileSync(arg, 'utf8');
  } catch (e) {
    return fail(`cannot read ${arg || 'stdin'}: ${e.message}`);
  }
}

function stringList(value, field) {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    fail(`"${field}" must be a list of strings`);
  }
  return value;
}

// Built-in functions and procedures of Neo4j 5 (APOC and GDS left out: they are plugins).
function builtinRegistries() {
  const mock = testData?.mockSchema ?? {};
  const fns = mock.functions?.[CYPHER_VERSION] ?? {};
  const procs = mock.procedures?.[CYPHER_VERSION] ?? {};
  const plugin = /^(apoc|gds)\./;
  return {
    functions: Object.fromEntries(Object.entries(fns).filter(([name, f]) => f.isBuiltIn && !plugin.test(name))),
    procedures: Object.fromEntries(Object.entries(procs).filter(([name]) => !plugin.test(name))),
  };
}

function parameterMap(params, where) {
  if (params === undefined || params === null) return {};
  if (Array.isArray(params)) {
    const out = {};
    for (const p of params) {
      if (typeof p !== 'string' || p.length === 0) fail(`${where}: "params" names must be non-empty strings`);
      out[p.replace(/^\$/, '')] = dummyValue(p);
    }
    return out;
  }
  if (typeof params === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(params)) out[k.replace(/^\$/, '')] = v === null || v === undefined ? '' : v;
    return out;
  }
  return fail(`${where}: "params" must be a list of names or an object`);
}

// A value of a plausible type for a parameter name (only declaration matters to the linter).
function dummyValue(name) {
  const n = name.toLowerCase();
  if (/^(limit|skip|offset|max_hops|hops|depth|k|top|n)$/.test(n) || /(_limit|_count|_ms)$/.test(n)) return 10;
  if (/(rows|ids|list|batch|sources|labels|types)$/.test(n)) return [];
  if (/(props|properties|map)$/.test(n)) return {};
  if (/(confidence|score|threshold|min_rpn)$/.test(n)) return 0.5;
  return 'x';
}

function toDiagnostic(d, stmt, index) {
  return {
    name: stmt.name,
    index,
    severity: d.severity === SEVERITY_ERROR ? 'error' : d.severity === SEVERITY_WARNING ? 'warning' : 'info',
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    offset: d.offsets?.start ?? null,
    message: d.message,
    ...(d.tags && d.tags.includes(2) ? { deprecated: true } : {}),
  };
}

function main() {
  const text = readInput(process.argv[2]);
  let input;
  try {
    input = JSON.parse(text);
  } catch (e) {
    return fail(`input is not JSON: ${e.message}`);
  }
  const wrapper = Array.isArray(input) ? { statements: input } : input;
  if (!wrapper || typeof wrapper !== 'object' || !Array.isArray(wrapper.statements)) {
    return fail('input must be a list of statements or an object with a "statements" list');
  }

  const base = {};
  const labels = stringList(wrapper.labels, 'labels');
  const relationshipTypes = stringList(wrapper.relationshipTypes, 'relationshipTypes');
  const propertyKeys = stringList(wrapper.propertyKeys, 'propertyKeys');
  if (labels) base.labels = labels;
  if (relationshipTypes) base.relationshipTypes = relationshipTypes;
  if (propertyKeys) base.propertyKeys = propertyKeys;
  if (wrapper.builtins !== false) {
    const { functions, procedures } = builtinRegistries();
    base.functions = { [CYPHER_VERSION]: functions };
    base.procedures = { [CYPHER_VERSION]: procedures };
  }
  const consoleCommands = wrapper.consoleCommands === true;

  const errors = [];
  const warnings = [];
  wrapper.statements.forEach((raw, index) => {
    const stmt = { name: `#${index}`, ...(raw && typeof raw === 'object' ? raw : {}) };
    const where = `statement ${JSON.stringify(stmt.name)}`;
    if (typeof stmt.query !== 'string' || stmt.query.trim() === '') {
      errors.push({ name: stmt.name, index, severity: 'error', line: 1, column: 1, endLine: 1, endColumn: 1,
        offset: 0, message: 'empty or missing "query"' });
      return;
    }
    const dbSchema = { ...base, parameters: parameterMap(stmt.params, where) };
    let diagnostics;
    try {
      diagnostics = lintCypherQuery(stmt.query, dbSchema, consoleCommands);
    } catch (e) {
      errors.push({ name: stmt.name, index, severity: 'error', line: 1, column: 1, endLine: 1, endColumn: 1,
        offset: 0, message: `linter crashed: ${e && e.message ? e.message : String(e)}` });
      return;
    }
    for (const d of diagnostics) {
      const out = toDiagnostic(d, stmt, index);
      (d.severity === SEVERITY_ERROR ? errors : warnings).push(out);
    }
  });

  process.stdout.write(`${JSON.stringify({ checked: wrapper.statements.length, errors, warnings }, null, 2)}\n`);
  process.exitCode = errors.length > 0 ? 1 : 0;
}

main();
