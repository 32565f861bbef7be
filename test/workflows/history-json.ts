/**
 * Workflow histories to and from the JSON that `temporal workflow show --output
 * json` and the web UI's download write (protobuf's canonical JSON).
 *
 * Why not `historyToJSON` / `historyFromJSON` of @temporalio/common (which
 * `Worker.runReplayHistory` calls on a JSON history): in this install npm keeps
 * grpc's protobufjs 7 at the top of node_modules and gives @temporalio/common and
 * @temporalio/proto each their own copy of protobufjs 8, so common's protojson
 * refuses proto's message types ("type must be a Type"). This module converts
 * with the protojson of the copy that @temporalio/proto's types belong to, and
 * hands the replayer a decoded History, which it takes as it is. It keeps
 * working once the copies are deduplicated.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils';

const require = createRequire(import.meta.url);
const protoEntry = require.resolve('@temporalio/proto');
const protojson = createRequire(protoEntry)('protobufjs/ext/protojson') as {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History;
};
const proto = require('@temporalio/proto') as typeof import('@temporalio/proto');
const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot(root: unknown): { lookupType(name: string): unknown };
};
const historyType = patchProtobufRoot(proto).lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

export function historyFromJson(json: unknown): History {
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
}

export function readHistory(path: string): History {
  return historyFromJson(JSON.parse(readFileSync(path, 'utf8')));
}
