/**
 * The in-memory entity store behind `store.get/set/remove`, checked against schema.graphql the way graph-node
 * checks writes: only declared, non-derived fields; every non-null field present; each value of its field's type
 * (enums by their values, references by the referenced entity's id type). Immutable entities may be written once:
 * graph-node refuses to change one written in an earlier block, the harness refuses any second write (a correct
 * mapping never makes one).
 */
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from "graphql";

import { StoreKind, type StoreValue } from "./memory.js";
import { bigDecimalOps } from "./numbers.js";

interface FieldType {
  name: string;
  nonNull: boolean;
  list: boolean;
  elementNonNull: boolean;
  derived: boolean;
}

interface EntityType {
  immutable: boolean;
  fields: Map<string, FieldType>;
}

const SCALARS: Record<string, StoreKind> = {
  ID: StoreKind.STRING,
  String: StoreKind.STRING,
  Int: StoreKind.INT,
  Int8: StoreKind.INT8,
  Timestamp: StoreKind.TIMESTAMP,
  Boolean: StoreKind.BOOL,
  BigInt: StoreKind.BIGINT,
  BigDecimal: StoreKind.BIGDECIMAL,
  Bytes: StoreKind.BYTES,
};

function fieldType(field: FieldDefinitionNode): FieldType {
  let type: TypeNode = field.type;
  const nonNull = type.kind === Kind.NON_NULL_TYPE;
  if (type.kind === Kind.NON_NULL_TYPE) type = type.type;
  const list = type.kind === Kind.LIST_TYPE;
  let elementNonNull = false;
  if (type.kind === Kind.LIST_TYPE) {
    type = type.type;
    elementNonNull = type.kind === Kind.NON_NULL_TYPE;
    if (type.kind === Kind.NON_NULL_TYPE) type = type.type;
  }
  if (type.kind !== Kind.NAMED_TYPE) throw new Error(`unsupported type of field ${field.name.value}`);
  const derived = (field.directives ?? []).some((d) => d.name.value === "derivedFrom");
  return { name: type.name.value, nonNull, list, elementNonNull, derived };
}

export class Schema {
  readonly entities = new Map<string, EntityType>();
  readonly enums = new Map<string, Set<string>>();

  constructor(source: string) {
    for (const definition of parse(source).definitions) {
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
        this.enums.set(definition.name.value, new Set((definition.values ?? []).map((v) => v.name.value)));
      } else if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
        this.addEntity(definition);
      }
    }
  }

  private addEntity(definition: ObjectTypeDefinitionNode) {
    const directive = (definition.directives ?? []).find((d) => d.name.value === "entity");
    if (directive === undefined) return;
    const immutableArg = (directive.arguments ?? []).find((a) => a.name.value === "immutable");
    const immutable = immutableArg?.value.kind === Kind.BOOLEAN && immutableArg.value.value;
    const fields = new Map((definition.fields ?? []).map((f) => [f.name.value, fieldType(f)] as const));
    this.entities.set(definition.name.value, { immutable, fields });
  }

  entity(name: string): EntityType {
    const type = this.entities.get(name);
    if (type === undefined) throw new Error(`unknown entity type ${name}`);
    return type;
  }

  /** The store kind a value of the named GraphQL type has (enums are strings, references their target's id). */
  kindOf(typeName: string): StoreKind {
    if (typeName in SCALARS) return SCALARS[typeName];
    if (this.enums.has(typeName)) return StoreKind.STRING;
    const idType = this.entity(typeName).fields.get("id");
    if (idType === undefined) throw new Error(`entity ${typeName} has no id`);
    return SCALARS[idType.name];
  }

  /** Throws, naming the entity and field, if `fields` is not a valid `typeName` entity. */
  validate(typeName: string, id: string, fields: Map<string, StoreValue>) {
    const type = this.entity(typeName);
    const where = (field: string) => `${typeName}[${id}].${field}`;
    for (const [name, value] of fields) {
      const field = type.fields.get(name);
      if (field === undefined) throw new Error(`${where(name)}: no such field in the schema`);
      if (field.derived) throw new Error(`${where(name)}: derived fields cannot be set`);
      if (value.kind === StoreKind.NULL) continue;
      if (field.list) {
        if (value.kind !== StoreKind.ARRAY) throw new Error(`${where(name)}: expected a list`);
        for (const element of value.value) {
          if (element.kind === StoreKind.NULL) {
            if (field.elementNonNull) throw new Error(`${where(name)}: null element in a list of non-null`);
            continue;
          }
          this.checkScalar(field, element, where(name));
        }
      } else {
        this.checkScalar(field, value, where(name));
      }
    }
    for (const [name, field] of type.fields) {
      if (!field.nonNull || field.derived) continue;
      const value = fields.get(name);
      if (value === undefined || value.kind === StoreKind.NULL) throw new Error(`${where(name)}: required, missing`);
    }
  }

  private checkScalar(field: FieldType, value: StoreValue, where: string) {
    const expected = this.kindOf(field.name);
    if (value.kind !== expected) {
      throw new Error(`${where}: expected ${StoreKind[expected]} (${field.name}), got ${StoreKind[value.kind]}`);
    }
    const values = this.enums.get(field.name);
    if (values !== undefined && !values.has(value.value as string)) {
      throw new Error(`${where}: "${String(value.value)}" is not a value of enum ${field.name}`);
    }
  }
}

/** Entity ids as the store keys them: strings as they are, bytes as 0x-hex. */
export function idKey(value: StoreValue): string {
  if (value.kind === StoreKind.STRING) return value.value;
  if (value.kind === StoreKind.BYTES) return `0x${Buffer.from(value.value).toString("hex")}`;
  throw new Error(`unsupported id kind ${StoreKind[value.kind]}`);
}

export type Entity = Map<string, StoreValue>;

export class Store {
  private readonly tables = new Map<string, Map<string, Entity>>();
  private readonly immutableWritten = new Set<string>();

  constructor(readonly schema: Schema) {}

  private table(type: string): Map<string, Entity> {
    this.schema.entity(type);
    let table = this.tables.get(type);
    if (table === undefined) {
      table = new Map();
      this.tables.set(type, table);
    }
    return table;
  }

  get(type: string, id: string): Entity | null {
    const entity = this.table(type).get(id);
    return entity === undefined ? null : new Map(entity);
  }

  /** Like graph-node: the new fields are merged into the stored entity, then the result must be valid. */
  set(type: string, id: string, fields: Entity) {
    const idValue = fields.get("id");
    if (idValue !== undefined && idKey(idValue) !== id) {
      throw new Error(`${type}: id field ${idKey(idValue)} differs from the key ${id}`);
    }
    const table = this.table(type);
    const key = `${type}:${id}`;
    if (this.schema.entity(type).immutable && this.immutableWritten.has(key)) {
      throw new Error(`${type}[${id}] is immutable and was already written`);
    }
    const merged = new Map([...(table.get(id) ?? []), ...fields]);
    this.schema.validate(type, id, merged);
    table.set(id, merged);
    if (this.schema.entity(type).immutable) this.immutableWritten.add(key);
  }

  remove(type: string, id: string) {
    if (this.schema.entity(type).immutable) throw new Error(`${type}[${id}] is immutable and cannot be removed`);
    this.table(type).delete(id);
  }

  all(type: string): Entity[] {
    return [...this.table(type).values()];
  }

  /** Every entity of `type` as plain data, keyed by id. */
  plainAll(type: string): Record<string, Record<string, Plain>> {
    return Object.fromEntries([...this.table(type)].map(([id, entity]) => [id, plainEntity(entity)]));
  }

  /** One entity as plain data (ids of bytes in lowercase 0x-hex), or undefined. */
  plain(type: string, id: string): Record<string, Plain> | undefined {
    const entity = this.table(type).get(id);
    return entity === undefined ? undefined : plainEntity(entity);
  }

  count(type: string): number {
    return this.table(type).size;
  }
}

/** A store value as plain data: bytes as 0x-hex, BigDecimals as strings, lists as arrays. */
export type Plain = string | number | bigint | boolean | null | Plain[];

export function plainValue(value: StoreValue): Plain {
  switch (value.kind) {
    case StoreKind.BYTES:
      return `0x${Buffer.from(value.value).toString("hex")}`;
    case StoreKind.BIGDECIMAL:
      return bigDecimalOps.toString(value.value);
    case StoreKind.ARRAY:
      return value.value.map(plainValue);
    default:
      return value.value;
  }
}

/** An entity as plain data; null fields are left out, as graph-node does not tell them from unset ones. */
export function plainEntity(entity: Entity): Record<string, Plain> {
  return Object.fromEntries(
    [...entity].filter(([, value]) => value.kind !== StoreKind.NULL).map(([key, value]) => [key, plainValue(value)]),
  );
}
