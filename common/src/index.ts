export * from './errors';
export { loadConfig, baseConfigSchema, pemKey, ConfigError, type BaseConfig } from './config';
export { createLogger, type Logger } from './logger';
export { OBJECT_ID, OBJECT_ID_PATTERN, isObjectId } from './http/object-id';
export { displayName, UNKNOWN_PERSON, type NamedPerson } from './people/display-name';
export { createApp, type AppOptions } from './http/create-app';
export * as openApi from './http/openapi-parts';
export {
  errorAnswer,
  errorResponse,
  handle,
  openApiDocumentFor,
  route,
  tooManyRequestsAnswer,
  validationErrors,
  type HttpMethod,
  type PathParam,
  type ResponseContract,
  type RouteContract,
  type RouteInput,
} from './http/contract';
export {
  decodeTimeCursor,
  encodeTimeCursor,
  pageQueryFields,
  parseQuery,
  sendPageHeaders,
  type TimeCursor,
} from './http/pagination';
export {
  errorResponseSchema,
  serviceAppOptions,
  type ServiceAppDeps,
  type ServiceAppSettings,
} from './http/service-app';
export {
  ACCOUNT_DELETED,
  cachedSessionVersions,
  currentUser,
  verifySessionToken,
  JWT_ALGORITHM,
  SESSION_VERSION_CLAIM,
  SESSION_VERSION_TTL_MS,
  type SessionVersionLookup,
  type SessionVersions,
  type UserPayload,
} from './middlewares/current-user';
export { requireAuth } from './middlewares/require-auth';
export { errorHandler } from './middlewares/error-handler';
export {
  createRateLimiter,
  ipKey,
  rateLimitMode,
  userOrIpKey,
  type RateLimitMode,
  type RateLimitOptions,
} from './middlewares/rate-limit';
export {
  healthRouter,
  mongoReady,
  natsReady,
  pgReady,
  redisReady,
  type ReadinessCheck,
} from './middlewares/health';
export { metricsRegistry } from './middlewares/metrics';
export * from './events/catalogue';
export {
  buildEvent,
  envelopeSchema,
  eventMetadataFrom,
  type EventEnvelope,
  type EventMetadata,
} from './events/envelope';
export {
  connectEventBus,
  ensureStream,
  type EventBus,
  type ConnectOptions,
} from './events/connection';
export { EventPublisher } from './events/publisher';
export { Listener, type ListenerContext } from './events/listener';
export { EventConsumer, type ConsumerOptions } from './events/consumer';
export { eventsHandled, eventsRedelivered, type HandledOutcome } from './events/metrics';
export {
  flushTraces,
  traceContextOf,
  traceIdsForLog,
  withTraceFrom,
  type CarriedSpanOptions,
  type TraceCarrier,
} from './tracing/context';
export {
  decideVersion,
  resultFor,
  type HandleResult,
  type VersionDecision,
} from './events/versioning';
export {
  membershipId,
  membershipReplicaSchema,
  type MembershipReplica,
} from './events/membership-replica';
export {
  applyVersioned,
  findByEvent,
  replicaListener,
  replicaSessionVersions,
} from './events/replica';
export {
  OutboxRelay,
  type OutboxStore,
  type PendingEvent,
  type PendingStats,
  type RelayOptions,
} from './outbox/relay';
export {
  MongoOutboxStore,
  outboxPlugin,
  recordEvent,
  type OutboxFields,
} from './outbox/mongo-outbox';
export { isStoreDeadlock, retryOnConflict } from './outbox/retry-on-conflict';
export { editDocument, type RecordedEvent } from './outbox/edit-document';
export { PgOutboxStore, insertOutboxEvent, PG_OUTBOX_DDL } from './outbox/pg-outbox';
export {
  withTransaction,
  writeInTransaction,
  type TransactionWrite,
} from './outbox/write-in-transaction';
export { startService, type ServiceHandle } from './process/start-service';
export {
  runMongoService,
  type MongoServiceContext,
  type MongoServiceOptions,
} from './process/run-mongo-service';
export {
  runPgService,
  type PgServiceContext,
  type PgServiceOptions,
} from './process/run-pg-service';
export type {
  ConsumerSpec,
  PartsFactory,
  ServiceContext,
  ServiceParts,
} from './process/run-service';
