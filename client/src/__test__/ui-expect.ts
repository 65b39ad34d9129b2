import { setTimeout as delay } from 'node:timers/promises';
import type { Locator } from 'playwright-core';

/*
 * Web-first assertions for playwright-core (its test runner's `expect` is not part of it): each
 * re-checks the page until it holds or the timeout passes, then fails with what it last saw.
 */

const TIMEOUT_MS = 30_000;
const POLL_MS = 50;

type Text = string | RegExp;

async function until(
  description: string,
  check: () => Promise<{ ok: boolean; seen: unknown }>,
): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  let seen: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result.ok) return;
      seen = result.seen;
    } catch (err) {
      seen = err instanceof Error ? err.message.split('\n')[0] : err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Expected ${description} within ${TIMEOUT_MS} ms; last saw ${JSON.stringify(seen)}`,
      );
    }
    await delay(POLL_MS);
  }
}

const matches = (actual: string, expected: Text, whole: boolean) =>
  typeof expected === 'string'
    ? whole
      ? actual.trim() === expected
      : actual.includes(expected)
    : expected.test(actual);

/**
 * Assertions look at what is shown: while Next.js streams a page, the finished part can sit in
 * the document, hidden, beside the part it replaces.
 */
function assertions(all: Locator, negate: boolean) {
  const locator = all.filter({ visible: true });
  const want = (ok: boolean) => ok !== negate;
  const not = negate ? 'not ' : '';
  const name = all.toString();
  return {
    toBeVisible: () =>
      negate
        ? all.waitFor({ state: 'hidden', timeout: TIMEOUT_MS })
        : locator.waitFor({ state: 'visible', timeout: TIMEOUT_MS }),
    toHaveText: (expected: Text | string[]) =>
      until(`${name} ${not}to have text ${String(expected)}`, async () => {
        if (Array.isArray(expected)) {
          const texts = (await locator.allInnerTexts()).map((t) => t.trim());
          return { ok: want(JSON.stringify(texts) === JSON.stringify(expected)), seen: texts };
        }
        const text = await locator.innerText({ timeout: POLL_MS * 4 });
        return { ok: want(matches(text, expected, true)), seen: text };
      }),
    toContainText: (expected: Text) =>
      until(`${name} ${not}to contain ${String(expected)}`, async () => {
        const text = await locator.innerText({ timeout: POLL_MS * 4 });
        return { ok: want(matches(text, expected, false)), seen: text };
      }),
    toHaveAttribute: (attribute: string, expected: Text) =>
      until(`${name} ${not}to have ${attribute}=${String(expected)}`, async () => {
        const value = (await locator.getAttribute(attribute, { timeout: POLL_MS * 4 })) ?? '';
        return { ok: want(matches(value, expected, true)), seen: value };
      }),
    toHaveClass: (expected: RegExp) =>
      until(`${name} ${not}to have class ${String(expected)}`, async () => {
        const value = (await locator.getAttribute('class', { timeout: POLL_MS * 4 })) ?? '';
        return { ok: want(expected.test(value)), seen: value };
      }),
    toHaveValue: (expected: Text) =>
      until(`${name} ${not}to have value ${String(expected)}`, async () => {
        const value = await locator.inputValue({ timeout: POLL_MS * 4 });
        return { ok: want(matches(value, expected, true)), seen: value };
      }),
    toHaveCount: (expected: number) =>
      until(`${name} ${not}to count ${expected}`, async () => {
        const count = await all.count();
        return { ok: want(count === expected), seen: count };
      }),
  };
}

export function expectUi(locator: Locator) {
  return { ...assertions(locator, false), not: assertions(locator, true) };
}
