/** The GraphQL queries the subgraph's README offers select only what the schema has. */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";

import { Kind, parse, type SelectionSetNode } from "graphql";

import { Schema } from "./harness/store.js";
import { SUBGRAPH_DIR } from "./paths.js";

/** graph-node's root query fields: `account(id:)` and `accounts(...)` for entity type `Account`. */
function rootEntity(schema: Schema, field: string): string | undefined {
  for (const name of schema.entities.keys()) {
    const single = name[0].toLowerCase() + name.slice(1);
    if (field === single || field === `${single}s`) return name;
  }
  return undefined;
}

function check(schema: Schema, type: string, selections: SelectionSetNode, where: string, problems: string[]) {
  for (const selection of selections.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const name = selection.name.value;
    const field = schema.entity(type).fields.get(name);
    if (field === undefined) {
      problems.push(`${where}: ${type} has no field ${name}`);
      continue;
    }
    const isEntity = schema.entities.has(field.name);
    if (isEntity !== (selection.selectionSet !== undefined)) {
      problems.push(`${where}: ${type}.${name} ${isEntity ? "needs" : "takes no"} a selection`);
    }
    if (isEntity && selection.selectionSet) check(schema, field.name, selection.selectionSet, where, problems);
  }
}

describe("README queries", () => {
  it("match the schema", async () => {
    const schema = new Schema(await readFile(path.join(SUBGRAPH_DIR, "schema.graphql"), "utf8"));
    const readme = await readFile(path.join(SUBGRAPH_DIR, "README.md"), "utf8");
    const queries = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
    assert.ok(queries.length >= 5, "the README shows the queries");
    const problems: string[] = [];
    for (const query of queries) {
      for (const definition of parse(query).definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const where = definition.name?.value ?? "query";
        for (const root of definition.selectionSet.selections) {
          if (root.kind !== Kind.FIELD || root.selectionSet === undefined) continue;
          const type = rootEntity(schema, root.name.value);
          if (type === undefined) problems.push(`${where}: no entity for root field ${root.name.value}`);
          else check(schema, type, root.selectionSet, where, problems);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
