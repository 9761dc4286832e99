const text = { type: 'string', minLength: 1 } as const;
const words = { type: 'array', items: text } as const;
const slotName = { type: 'string', pattern: '^[a-z][a-zA-Z0-9_]*$' } as const;
const names = { type: 'array', items: slotName, uniqueItems: true } as const;

const option = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'label'],
  properties: {
    value: text,
    label: text,
    match: words,
    level: { enum: [1, 2, 3, 4] },
    needsNote: { type: 'boolean' },
  },
} as const;

const slot = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'prompt'],
  properties: {
    name: slotName,
    type: { enum: ['choice', 'text'] },
    prompt: text,
    retryPrompt: text,
    options: { anyOf: [{ const: 'systems' }, { type: 'array', minItems: 1, items: option }] },
    extract: { type: 'array', items: { type: 'string', format: 'regex' } },
    accept: { type: 'array', items: { type: 'string', format: 'regex' } },
    strict: { type: 'boolean' },
    minLength: { type: 'integer', minimum: 0 },
    maxLength: { type: 'integer', minimum: 1 },
    skipWords: words,
    fallback: text,
    takeRest: { type: 'boolean' },
    optionsInPrompt: { type: 'boolean' },
    when: {
      type: 'object',
      additionalProperties: false,
      required: ['slot', 'equals'],
      properties: { slot: slotName, equals: { anyOf: [text, words] } },
    },
  },
} as const;

const requirement = {
  type: 'object',
  additionalProperties: false,
  required: ['before', 'after'],
  properties: { before: names, after: names },
} as const;

const texts = {
  type: 'object',
  additionalProperties: false,
  required: ['cancelled', 'expired'],
  properties: { cancelled: text, expired: text, gaveUp: text, intro: text, done: text },
} as const;

const base = {
  id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
  title: text,
  idleMinutes: { type: 'number', exclusiveMinimum: 0 },
  maxAsks: { type: 'integer', minimum: 1, maximum: 5, default: 2 },
  texts,
  $schema: { type: 'string' },
  description: { type: 'string' },
} as const;

/** The schema of one `flows/<id>.json` (the file name is the flow id). */
export const flowSchema = {
  type: 'object',
  required: ['id', 'kind', 'title', 'texts'],
  discriminator: { propertyName: 'kind' },
  oneOf: [
    {
      additionalProperties: false,
      required: ['slots', 'required'],
      properties: {
        ...base,
        kind: { const: 'form' },
        slots: { type: 'array', minItems: 1, items: slot },
        required: names,
        byLevel: {
          type: 'object',
          additionalProperties: false,
          properties: { '1': requirement, '2': requirement, '3': requirement, '4': requirement, unknown: requirement },
        },
      },
    },
    {
      additionalProperties: false,
      required: ['answers', 'items'],
      properties: {
        ...base,
        kind: { const: 'checklist' },
        answers: { type: 'array', minItems: 1, items: option },
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'text'],
            properties: { id: { type: 'string', pattern: '^[a-z0-9-]+$' }, text, hint: text },
          },
        },
      },
    },
  ],
} as const;
