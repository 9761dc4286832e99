/** The one source of "now" for business logic, so tests can move time instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests control: starts at a fixed instant and moves only when told. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * The demo clock of the playground: real time plus an offset that only grows (`advance`) until `reset`, so a
 * visitor can jump ahead (+10 min, +1 h, next morning) and watch reminders, digests and inspections fire.
 */
export class OffsetClock implements Clock {
  private offset = 0;
  constructor(private readonly real: () => number = Date.now) {}
  now(): Date {
    return new Date(this.real() + this.offset);
  }
  /** How far ahead of real time the clock runs, in ms. */
  get offsetMs(): number {
    return this.offset;
  }
  /** Moves the clock forward by `ms` (negative values are refused: time in the service never runs backwards). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('OffsetClock.advance: ms must be ≥ 0');
    this.offset += ms;
  }
  /** Back to real time (the playground's reset, which also empties the database). */
  reset(): void {
    this.offset = 0;
  }
}
