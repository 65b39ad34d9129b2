export { generateJwtKeys, sessionCookie, signinCookie, testKeys, type KeyPair } from './auth';
export { clearMongo, startMongo, type TestMongo } from './mongo';
export { readEvents, startNats, waitFor, type TestNats } from './nats';
export { openApiChecker } from './openapi';
export { startPostgres, type TestPostgres } from './postgres';
export { startServiceTestStack, type ServiceTestStack } from './service-stack';
