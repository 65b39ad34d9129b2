/*
 * What the benchmarks (bench/) use of tasks' internals, as `@taskforge/tasks/bench`, and no
 * more: the growth phase inserts tasks in bulk as the service stores them (completion, week
 * buckets, priority rank), since the API would take hours to write 100,000 of them, and then
 * supersedes the team's cached dashboard in the service's own Redis keys, as a change made
 * behind the service's back must. One entry keeps bench off the layout of tasks' folders.
 */
export { REDIS_PREFIX } from './app';
export { PRIORITY_RANK, Task, weekOf, type TaskPriority } from './models/task';
export { applyCompletion } from './services/task-writes';
export { StatsCache } from './services/stats-cache';
