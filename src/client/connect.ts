/** A Temporal client for the configured server (src/connection/temporal-options.ts), with an error that says what to do when it cannot connect. */
import { Client, Connection } from '@temporalio/client';
import { explainTemporalFailure } from '../connection/temporal-failure';
import { describeTemporalConnection, temporalConnectionOptions, temporalConnectionSettings, type TemporalConnectionSettings } from '../connection/temporal-options';
import { whileTemporalIsDown, type OutageOptions } from './temporal-outage';

export interface ConnectOptions {
  /**
   * Wait for a server that is down or restarting, saying so, instead of failing at once
   * (commands that follow a sweep). `where` is filled in from the settings.
   */
  readonly waitIfDown?: Omit<OutageOptions, 'where'>;
}

export async function connectTemporal(settings: TemporalConnectionSettings = temporalConnectionSettings(), options: ConnectOptions = {}): Promise<Client> {
  const connect = () => Connection.connect({ ...temporalConnectionOptions(settings), connectTimeout: 5000 });
  try {
    const connection = options.waitIfDown
      ? await whileTemporalIsDown('connecting', connect, { ...options.waitIfDown, where: describeTemporalConnection(settings) })
      : await connect();
    return new Client({ connection, namespace: settings.namespace });
  } catch (err) {
    throw new Error(await explainTemporalFailure(err, settings), { cause: err });
  }
}

/** How the commands that follow a sweep wait out an unavailable server: on stderr, for as long as it takes. */
export function outageOptions(settings: TemporalConnectionSettings = temporalConnectionSettings()): OutageOptions {
  return { where: describeTemporalConnection(settings) };
}
