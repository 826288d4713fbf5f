import { config } from 'zod/v4/core';
import { describe, expect, it } from 'vitest';
import { makeZodJitless } from '../../client/zod-jitless';

describe('zod without eval in the client', () => {
  it('sets jitless in the config zod itself reads, without the entry chunk importing zod', () => {
    makeZodJitless();
    expect(config().jitless).toBe(true);
  });
});
