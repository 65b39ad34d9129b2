// The entry point's first import: tracing starts before anything it traces is loaded.
import { startTracing } from '@taskforge/common/tracing';

startTracing('tickets');
