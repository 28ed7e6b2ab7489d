import type { ManageCommand } from "./manage-command";
import { createSuperuserCommand } from "./create-superuser.command";
import { createUserCommand } from "./create-user.command";
import { createTokenCommand } from "./create-token.command";
import { seedDemoCommand } from "./seed-demo.command";
import { migrateCommand } from "./migrate.command";
import { reconcileStorageCommand } from "./reconcile-storage.command";

export type { ManageCommand, ManageContext } from "./manage-command";

/** Every management command, by the name typed on the command line. */
export const COMMANDS: Record<string, ManageCommand> = {
  migrate: migrateCommand,
  createsuperuser: createSuperuserCommand,
  "create-user": createUserCommand,
  "create-token": createTokenCommand,
  "seed-demo": seedDemoCommand,
  "reconcile-storage": reconcileStorageCommand,
};
