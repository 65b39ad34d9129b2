import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { EventData, Subject } from './catalogue';
import type { EventEnvelope } from './envelope';
import type { HandleResult } from './versioning';

export interface ListenerContext<S extends Subject> {
  event: EventEnvelope<S>;
  msg: JsMsg;
  logger: Logger;
}

/**
 * One listener per subject: apply the event to this service's data, idempotently. Return
 * `'retry'` when the event cannot be applied yet (a future version); throwing also retries.
 */
export abstract class Listener<S extends Subject = Subject> {
  abstract readonly subject: S;

  abstract onMessage(
    data: EventData<S>,
    context: ListenerContext<S>,
  ): Promise<HandleResult | void> | HandleResult | void;
}
