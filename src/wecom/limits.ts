/**
 * Callback bodies WeCom sends are a few KB (an encrypted message of at most 2 048 bytes of text, or an event);
 * 64 KB is generous. Anything larger is refused with 413 before it is read, so a flood of large fake bodies
 * costs no memory and no parsing.
 */
export const WECOM_MAX_BODY_BYTES = 64 * 1024;
