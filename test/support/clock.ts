import type { Clock } from '../../server/clock.ts';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  #now: number;

  constructor(start = new Date('2026-01-01T00:00:00Z')) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  set(date: Date): void {
    this.#now = date.getTime();
  }
}
