import type { Command } from 'commander';
import { addGlobalOptions } from './runtime.js';
import { registerModelsCommand } from './models.js';
import { registerVersionsCommand } from './versions.js';
import { registerRegisterCommand } from './register.js';
import { registerPromoteCommand } from './promote.js';
import { registerRollbackCommand } from './rollback.js';
import { registerRetireCommands } from './retire.js';
import { registerAuditCommand } from './audit.js';
import { registerTokensCommand } from './tokens.js';
import { registerStatusCommand } from './status.js';

/** Registry client commands (models, versions, register, promote, rollback, archive, delete, audit, tokens). */
export function registerClientCommands(program: Command): void {
  addGlobalOptions(program);
  registerModelsCommand(program);
  registerVersionsCommand(program);
  registerRegisterCommand(program);
  registerPromoteCommand(program);
  registerRollbackCommand(program);
  registerRetireCommands(program);
  registerAuditCommand(program);
  registerTokensCommand(program);
  registerStatusCommand(program);
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 refused by a quality gate or a conflict, 2 usage error (bad flags, unknown model), 3 authentication or permission, 4 exporter unreachable or failing.\nEnvironment: MODELWATCH_URL, MODELWATCH_TOKEN.',
  );
}
