/** A configuration problem the operator must fix; printed as one line at start-up, never as a stack trace. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path || '/'} ${problem}`);
    this.name = 'ConfigError';
  }
}
