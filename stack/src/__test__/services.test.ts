import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableServices, NODE_FLAGS } from '../services';

const root = join(__dirname, '..', '..', '..');

describe('the services of the local stack', () => {
  const services = availableServices(root).filter((spec) => spec.name !== 'client');

  it('run with the V8 flags of their images', () => {
    expect(services.length).toBeGreaterThan(0);
    for (const spec of services) {
      expect(spec.command(0).slice(0, 1 + NODE_FLAGS.length)).toEqual(['node', ...NODE_FLAGS]);
      const dockerfile = readFileSync(join(root, spec.workspace, 'Dockerfile'), 'utf8');
      // Every stage that runs the built service with node (the workspace's and the published).
      const commands = [...dockerfile.matchAll(/^CMD (\[.*\])$/gm)]
        .map((match) => JSON.parse(match[1]!) as string[])
        .filter((command) => command[0] === 'node');
      expect(commands.length).toBeGreaterThanOrEqual(2);
      for (const command of commands) {
        expect([spec.workspace, command.slice(0, -1)]).toEqual([
          spec.workspace,
          ['node', ...NODE_FLAGS],
        ]);
      }
    }
  });
});
