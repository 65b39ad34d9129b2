export { generateJwtKeys, sessionCookie, signinCookie, testKeys, type KeyPair } from './auth';
export { clearMongo, startMongo, type TestMongo } from './mongo';
export { consumerSettled, readEvents, startNats, waitFor, type TestNats } from './nats';
export { freePort, restartablePort } from './ports';
export {
  API_HEADERS,
  documentedResponseChecker,
  openApiChecker,
  type HttpResponseLike,
  type ResponseLike,
} from './openapi';
export { startPostgres, type TestPostgres } from './postgres';
export { startServiceTestStack, type ServiceTestStack } from './service-stack';
export { startPgServiceTestStack, type PgServiceTestStack } from './pg-service-stack';
export type { TestStackBase } from './stack-base';
export { startServiceProcess, type ServiceProcess } from './service-process';
export {
  SPAN_KIND,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from './otlp-receiver';
