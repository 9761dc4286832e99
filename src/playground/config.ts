/**
 * The bot file's `playground` section: the WeCom group /playground shows. Its reporters (nurses, lab staff) are the
 * bot file's `directory.people` who are not on the roster; engineers and leads come from the roster.
 */
export interface PlaygroundConfig {
  /** The WeCom group the playground shows (the smart bot's chatid in callbacks). */
  chatId: string;
  /** The group's name shown above the chat. */
  groupName: string;
}

export const playgroundSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    chatId: { type: 'string', minLength: 1, default: 'wr_demo' },
    groupName: { type: 'string', minLength: 1, default: '报修群' },
  },
} as const;
