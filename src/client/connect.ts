/** A Temporal client for the configured server (src/connection/temporal-options.ts), with an error that says what to do when it cannot connect. */
import { Client, Connection } from '@temporalio/client';
import { explainTemporalFailure } from '../connection/temporal-failure';
import { temporalConnectionOptions, temporalConnectionSettings, type TemporalConnectionSettings } from '../connection/temporal-options';

export async function connectTemporal(settings: TemporalConnectionSettings = temporalConnectionSettings()): Promise<Client> {
  try {
    const connection = await Connection.connect({ ...temporalConnectionOptions(settings), connectTimeout: 5000 });
    return new Client({ connection, namespace: settings.namespace });
  } catch (err) {
    throw new Error(await explainTemporalFailure(err, settings), { cause: err });
  }
}
