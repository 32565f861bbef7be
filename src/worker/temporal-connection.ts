/**
 * The worker's connections to Temporal, made from the same settings as the
 * CLI's (src/connection/temporal-options.ts): the NativeConnection its Workers
 * poll through, and a client Connection for the control activities.
 */
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { explainTemporalFailure } from '../connection/temporal-failure';
import { temporalConnectionOptions, type TemporalConnectionSettings } from '../connection/temporal-options';

export async function connectWorkerTemporal(settings: TemporalConnectionSettings): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(temporalConnectionOptions(settings));
  } catch (err) {
    throw new Error(await explainTemporalFailure(err, settings), { cause: err });
  }
}

export async function connectControlClient(settings: TemporalConnectionSettings): Promise<Connection> {
  try {
    return await Connection.connect(temporalConnectionOptions(settings));
  } catch (err) {
    throw new Error(await explainTemporalFailure(err, settings), { cause: err });
  }
}
