/**
 * sweeplab's search attributes on any Temporal server. The local dev server
 * registers them at start (`--search-attribute`); a real cluster does not, and
 * starting a workflow with typedSearchAttributes fails there until they exist.
 * `ensureSearchAttributes` lists the namespace's attributes and adds only the
 * missing ones, so it is cheap to call before every submission.
 */
import type { ConnectionLike } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { FamilyAttribute, SweepIdAttribute, SweepNameAttribute, SweepStatusAttribute } from '../workflows/definitions';

const { IndexedValueType } = proto.temporal.api.enums.v1;
type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

/** What defineSearchAttributeKey returns (the SDK does not export the type by name). */
export interface AttributeKey {
  readonly name: string;
  readonly type: SearchAttributeType;
}

/** The attributes the sweep workflow and its trial children are started with (SweepStatus: the sweep only). */
export const SWEEP_SEARCH_ATTRIBUTES: readonly AttributeKey[] = [
  SweepIdAttribute,
  SweepNameAttribute,
  FamilyAttribute,
  SweepStatusAttribute,
];

/** `NAME=Type` for each, as `temporal server start-dev --search-attribute` takes them. */
export function devServerSearchAttributes(keys: readonly AttributeKey[] = SWEEP_SEARCH_ATTRIBUTES): string[] {
  return keys.map((key) => `${key.name}=${cliTypeName(key.type)}`);
}

/** The server's enum for an SDK type: KEYWORD → INDEXED_VALUE_TYPE_KEYWORD. */
export function indexedValueType(type: SearchAttributeType): IndexedValueType {
  return IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
}

/** 'KEYWORD_LIST' → 'KeywordList': the spelling `temporal operator search-attribute create --type` takes. */
function cliTypeName(type: SearchAttributeType | string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Responses decode enums as numbers; a JSON-ish transport could give their names. */
function typeNameOf(value: IndexedValueType | string): string {
  const name = typeof value === 'number' ? IndexedValueType[value] : value;
  return (name ?? String(value)).replace(/^INDEXED_VALUE_TYPE_/, '');
}

function createCommands(namespace: string, keys: readonly AttributeKey[]): string {
  return keys
    .map((key) => `  temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${cliTypeName(key.type)}`)
    .join('\n');
}

export interface EnsuredSearchAttributes {
  /** Names added by this call (empty when all were already there). */
  readonly added: readonly string[];
}

/**
 * Adds the sweep search attributes that the namespace lacks. Throws when a name
 * exists with another type (the workflow could never be started with it), and,
 * when the server refuses the addition (e.g. no admin rights, or Temporal Cloud),
 * with the commands an operator can run instead.
 */
export async function ensureSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
  keys: readonly AttributeKey[] = SWEEP_SEARCH_ATTRIBUTES,
): Promise<EnsuredSearchAttributes> {
  const missing = checkTypes(namespace, keys, await listAttributes(connection, namespace, keys));
  if (missing.length === 0) return { added: [] };
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueType(key.type)])),
    });
  } catch (err) {
    // Another submitter may have added them meanwhile: then all is well.
    const stillMissing = checkTypes(namespace, missing, await listAttributes(connection, namespace, missing));
    if (stillMissing.length > 0) {
      throw new Error(
        `Temporal namespace '${namespace}' lacks search attribute(s) ${stillMissing.map((k) => k.name).join(', ')} ` +
          `and adding them failed (${(err as Error).message}). An operator can add them with:\n${createCommands(namespace, stillMissing)}`,
      );
    }
  }
  return { added: missing.map((key) => key.name) };
}

async function listAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
  keys: readonly AttributeKey[],
): Promise<Record<string, IndexedValueType | string>> {
  try {
    const response = await connection.operatorService.listSearchAttributes({ namespace });
    return { ...response.systemAttributes, ...response.customAttributes };
  } catch (err) {
    throw new Error(
      `cannot list the search attributes of Temporal namespace '${namespace}' (${(err as Error).message}); ` +
        `sweeplab needs ${keys.map((k) => `${k.name} (${cliTypeName(k.type)})`).join(', ')}. ` +
        `If they are missing, an operator can add them with:\n${createCommands(namespace, keys)}`,
    );
  }
}

/** The keys not yet defined; throws when one is defined with another type (search attributes cannot change type). */
function checkTypes(
  namespace: string,
  keys: readonly AttributeKey[],
  existing: Record<string, IndexedValueType | string>,
): AttributeKey[] {
  const conflicts = keys.filter((key) => Object.hasOwn(existing, key.name) && typeNameOf(existing[key.name]!) !== key.type);
  if (conflicts.length > 0) {
    throw new Error(
      `Temporal namespace '${namespace}' has search attribute(s) of the wrong type: ` +
        conflicts.map((k) => `${k.name} is ${cliTypeName(typeNameOf(existing[k.name]!))}, sweeplab needs ${cliTypeName(k.type)}`).join('; ') +
        '. A search attribute cannot change type: remove it on the server, or use another namespace (TEMPORAL_NAMESPACE).',
    );
  }
  return keys.filter((key) => !Object.hasOwn(existing, key.name));
}
