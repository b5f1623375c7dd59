import type { components } from '../../api/openapi-types.js';
import type { Command } from 'commander';
import { handler } from './runtime.js';
import { listTable } from './format.js';

export function registerTokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('manage API tokens (admin)');
  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .action(
      handler(async (io) => {
        io.emit(
          await io.client.listTokens(),
          listTable('tokens', ['ID', 'NAME', 'ROLE', 'CREATED', 'REVOKED'], (t) => [
            t.id as string,
            t.name as string,
            t.role as string,
            t.created_at as string,
            t.revoked_at as string,
          ]),
        );
      }),
    );
  tokens
    .command('create <name>')
    .description('create a token; its secret is shown once')
    .requiredOption('--role <role>', 'viewer, ingest, operator or admin')
    .action(
      handler(async (io, name: string, flags: { role: string }) => {
        const created = (await io.client.createToken({
          name,
          role: flags.role as components['schemas']['CreateTokenRequest']['role'],
        })) as Record<string, unknown>;
        io.emit(
          created,
          (t) => `created token ${t.id ?? ''} "${name}" (role ${t.role ?? flags.role}); store it now, it is not shown again:\n${t.token}`,
        );
      }),
    );
  tokens
    .command('revoke <id>')
    .description('revoke a token by id')
    .action(
      handler(async (io, id: string) => {
        const result = await io.client.revokeToken(id);
        io.emit(result, () => `revoked token ${id}`);
      }),
    );
}
