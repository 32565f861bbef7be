/** A Temporal client for the configured server, with an error that says what to do when it is not there. */
import { Client, Connection } from '@temporalio/client';
import { temporalAddress, temporalNamespace } from '../config';

export async function connectTemporal(): Promise<Client> {
  const address = temporalAddress();
  try {
    const connection = await Connection.connect({ address, connectTimeout: 5000 });
    return new Client({ connection, namespace: temporalNamespace() });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${address} (${(err as Error).message}): start the local stack with \`sweep dev up\`, or set TEMPORAL_ADDRESS`,
    );
  }
}
