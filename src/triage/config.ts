export const SYSTEM_IDS = [
  'his',
  'emr',
  'lis',
  'pacs',
  'nursing',
  'dialysis',
  'transfusion',
  'ecg',
  'pathology',
  'icu',
  'insurance',
  'integration',
  'queue',
  /**
   * Other software (其他软件): a clinical or office system the contract's catalog does not name (手麻, 院感, OA,
   * 体检 …). A real ticket to the on-duty engineer, unlike `other` (the 信息科's hardware, a referral); the name the
   * reporter used is kept on the ticket (`systemLabel`). Issue #17.
   */
  'software',
  'other',
] as const;
export type SystemId = (typeof SYSTEM_IDS)[number];

export interface SystemDef {
  id: SystemId;
  /** Chinese display name, e.g. "检验系统(LIS)". */
  name: string;
  /** Names, abbreviations and module names that identify the system outright. */
  aliases: string[];
  /** Typical vocabulary that hints at the system. */
  keywords: string[];
  /**
   * Places where many systems are used (医生站, 护士站): they say where the reporter sits, not what fails, so they
   * weigh less than a keyword and only decide when nothing else is named.
   */
  context?: string[];
}

export const systemsSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'aliases', 'keywords'],
    properties: {
      id: { enum: SYSTEM_IDS },
      name: { type: 'string', minLength: 1 },
      aliases: { type: 'array', items: { type: 'string', minLength: 1 } },
      keywords: { type: 'array', items: { type: 'string', minLength: 1 } },
      context: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
  },
} as const;
