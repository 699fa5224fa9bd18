import { describe, expect, it } from 'vitest';
import { latestAnswer } from './latest-answer';

describe('latestAnswer', () => {
  it('lets only the answer asked for last be drawn, whatever order they arrive in', async () => {
    const ask = latestAnswer();
    const drawn: string[] = [];
    const answer = async (name: string, delay: number) => {
      const isLatest = ask();
      await new Promise((r) => setTimeout(r, delay));
      if (isLatest()) drawn.push(name);
    };
    await Promise.all([answer('older, slow', 30), answer('newer, fast', 1)]);
    expect(drawn).toEqual(['newer, fast']);
    await answer('alone', 0);
    expect(drawn).toEqual(['newer, fast', 'alone']);
  });
});
