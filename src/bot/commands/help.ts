import { roleOf } from '../../roster/roster.js';
import { helpText } from '../presenters/commands.js';
import type { CommandHandler } from './types.js';

/** 帮助: the commands of the sender's role. */
export const help: CommandHandler = async (ctx, msg) => ({ reply: helpText(roleOf(ctx.bot, msg.from.userid)) });
