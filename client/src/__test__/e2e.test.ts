import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Request,
} from 'playwright-core';
import { simpleParser } from 'mailparser';
import { startLocalStack, type LocalStack } from './local-stack';
import { expectUi } from './ui-expect';

/*
 * The client end to end, in Debian's Chromium against the whole suite on the local stack: two
 * people sign up, work on a team's board together and see each other's changes live. Any
 * console error or page error fails the test, except the API answers a step provokes on purpose;
 * so does anything the Content-Security-Policy refuses.
 */

jest.setTimeout(90_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'e2e-artifacts');
const PASSWORD = 'a-long-enough-password';

interface Person {
  name: string;
  email: string;
  context: BrowserContext;
  page: Page;
  errors: string[];
  /**
   * API answers this person's steps provoke on purpose: `<status> <path prefix>`; `csp` while a
   * step breaks the Content-Security-Policy on purpose.
   */
  expected: string[];
}

let stack: LocalStack | undefined;
let url: string;
let browser: Browser;
const people: Person[] = [];
let ada: Person;
let bob: Person;
let teamId: string;
let taskUrl: string;
const NEW_PASSWORD = 'a-brand-new-long-password';

/**
 * The link to `path` (a reset or a verification page) last mailed to `address`: from the local
 * stack's mail folder (or E2E_MAIL_DIR), or from Mailpit's API when E2E_BASE_URL names a cluster
 * (E2E_MAILPIT_URL, through the browser, whose host resolver knows the cluster's names). Returns
 * the link's path and query, to open on the stack the test runs.
 */
async function linkMailedTo(
  address: string,
  path: '/reset-password' | '/verify-email',
): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<>]+${path}\\?token=[A-Za-z0-9_-]+`);
  const deadline = Date.now() + 30_000;
  const mailDir = stack?.mailDir ?? process.env.E2E_MAIL_DIR;
  for (;;) {
    let texts: string[] = [];
    if (mailDir) {
      const files = existsSync(mailDir)
        ? readdirSync(mailDir).filter((f) => f.endsWith('.eml'))
        : [];
      for (const file of files.sort()) {
        const mail = await simpleParser(readFileSync(join(mailDir, file)));
        const to = Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(',') : mail.to?.text;
        if (to === address) texts.push(mail.text ?? '');
      }
    } else {
      const mailpit = process.env.E2E_MAILPIT_URL ?? 'http://mail.taskforge.test';
      const page = await browser.newPage();
      try {
        await page.goto(`${mailpit}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}`);
        const found = JSON.parse((await page.textContent('body')) ?? '{}') as {
          messages?: Array<{ ID: string }>;
        };
        texts = [];
        for (const message of [...(found.messages ?? [])].reverse()) {
          await page.goto(`${mailpit}/api/v1/message/${message.ID}`);
          texts.push(
            (JSON.parse((await page.textContent('body')) ?? '{}') as { Text?: string }).Text ?? '',
          );
        }
      } finally {
        await page.close();
      }
    }
    const link = texts
      .map((text) => pattern.exec(text)?.[0])
      .filter(Boolean)
      .at(-1);
    if (link) return new URL(link).pathname + new URL(link).search;
    if (Date.now() > deadline) throw new Error(`no ${path} link mailed to ${address} in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Tells this run's data apart from earlier runs' when E2E_BASE_URL points at a running stack. */
const run = Date.now().toString(36);

async function openPerson(
  name: string,
  email: string,
  viewport = { width: 1280, height: 860 },
): Promise<Person> {
  const context = await browser.newContext({ baseURL: url, viewport, acceptDownloads: true });
  // Chromium reports a refused script or style on the console too; this names the directive.
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(
        `CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`,
      ),
    ),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const person: Person = { name, email, context, page, errors: [], expected: [] };
  page.on('pageerror', (err) => person.errors.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (person.expected.includes('csp') && /Content Security Policy|CSP violation/.test(text)) {
      return;
    }
    const status = /status of (\d{3})/.exec(text)?.[1];
    const path = new URL(message.location().url || url, url).pathname;
    if (
      status &&
      person.expected.some(
        (e) =>
          e === `${status} ${path}` || (e.startsWith(`${status} `) && path.startsWith(e.slice(4))),
      )
    ) {
      return;
    }
    person.errors.push(`console error: ${text} (${message.location().url})`);
  });
  people.push(person);
  return person;
}

/** The whole page; on a phone, the screen as the person sees it. */
async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

function column(page: Page, title: string): Locator {
  return page.locator('section.column', {
    has: page.getByRole('heading', { name: new RegExp(`^${title}`) }),
  });
}

function card(scope: Page | Locator, title: string): Locator {
  // `has` takes a locator relative to the card, so it is built from the page.
  const page = 'mainFrame' in scope ? scope : scope.page();
  return scope.locator('article.task-card', {
    has: page.getByRole('link', { name: title, exact: true }),
  });
}

/**
 * Waits until React has revealed every part of a streamed page: until then a finished part can
 * sit hidden in the document beside the loading state it replaces, twice in the DOM.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => !document.querySelector('div[hidden][id^="S:"], template[id^="B:"]'),
  );
}

async function goto(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await settled(page);
}

async function arrive(page: Page, url: string | RegExp): Promise<void> {
  await page.waitForURL(url);
  await settled(page);
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await settled(page);
}

/**
 * A GET from inside the page, with its cookies: it goes where the browser's requests go (through
 * E2E_HOST_RESOLVER_RULES too), which Playwright's own request context, resolving in Node, would not.
 */
async function fetchInPage(
  page: Page,
  path: string,
): Promise<{ status: number; contentType: string; text: string }> {
  return page.evaluate(async (target) => {
    const response = await fetch(target, { credentials: 'same-origin' });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }, path);
}

async function waitForLive(page: Page): Promise<void> {
  await page.locator('button.bell[data-live="connected"]').waitFor();
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (process.env.E2E_BASE_URL) {
    url = process.env.E2E_BASE_URL;
  } else {
    stack = await startLocalStack(join(ARTIFACTS, 'stack-logs'));
    url = stack.url;
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // E2E_HOST_RESOLVER_RULES sends a host name elsewhere (the cluster's ingress on loopback),
    // so that pages, API calls and presigned URLs all keep the suite's own host name.
    args: [
      '--no-sandbox',
      ...(process.env.E2E_HOST_RESOLVER_RULES
        ? [`--host-resolver-rules=${process.env.E2E_HOST_RESOLVER_RULES}`]
        : []),
    ],
  });
  ada = await openPerson('Ada Lovelace', `ada-${run}@taskforge.test`);
  bob = await openPerson('Bob Builder', `bob-${run}@taskforge.test`);
}, 600_000);

afterEach(() => {
  const errors = people.flatMap((p) => p.errors.map((e) => `${p.name}: ${e}`));
  for (const person of people) person.errors.length = 0;
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('the client in a browser', () => {
  it('sends a Content-Security-Policy with a fresh nonce that every script of the page carries', async () => {
    const policies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await ada.page.goto('/signin');
      await settled(ada.page);
      const policy = response?.headers()['content-security-policy'] ?? '';
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      expect(policy).toMatch(/(^|; )script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
      expect(policy).toMatch(/(^|; )style-src 'self' 'nonce-[^']+'(;|$)/);
      expect(policy).toMatch(/(^|; )style-src-attr 'none'(;|$)/);
      expect(policy).toMatch(/(^|; )connect-src 'self'(;|$)/);
      expect(policy).toMatch(/(^|; )object-src 'none'(;|$)/);
      expect(policy).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
      expect(policy).not.toContain('unsafe-eval');
      expect(policy).not.toContain('unsafe-inline');
      const html = (await response?.text()) ?? '';
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
      policies.push(policy);
    }
    expect(policies[0]).not.toBe(policies[1]);
  });

  /**
   * What an HTML injection would bring, added to a page: which directive refused it, or what got
   * through. A handler needs no nonce to run; a style attribute could lay a fake form over the page.
   */
  async function inject(markup: 'handler' | 'style'): Promise<string> {
    const page = ada.page;
    await goto(page, '/signin');
    ada.expected.push('csp');
    const outcome = await page.evaluate(
      (kind) =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) =>
            resolve(`refused by ${event.effectiveDirective}`),
          );
          if (kind === 'handler') {
            const injected = document.createElement('div');
            injected.setAttribute('onclick', 'document.title = "injected"');
            document.body.append(injected);
            injected.click();
            if (document.title === 'injected') resolve('ran');
          } else {
            document.body.insertAdjacentHTML(
              'beforeend',
              '<div id="overlay" style="position: fixed; inset: 0"></div>',
            );
            const overlay = document.getElementById('overlay');
            if (overlay && getComputedStyle(overlay).position === 'fixed') resolve('applied');
          }
        }),
      markup,
    );
    ada.expected.splice(ada.expected.indexOf('csp'), 1);
    return outcome;
  }

  it('refuses an injected inline event handler', async () => {
    expect(await inject('handler')).toBe('refused by script-src-attr');
  });

  it('refuses an injected style attribute', async () => {
    expect(await inject('style')).toBe('refused by style-src-attr');
  });

  it('serves its icon where browsers look for one, beside the one the pages link', async () => {
    // Browsers ask for /favicon.ico whenever a page's own icon link is not in hand yet.
    await goto(ada.page, '/signin');
    const ico = await fetchInPage(ada.page, '/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.contentType).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
    const linked = await ada.page
      .locator('link[rel="icon"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    expect(linked.some((href) => href.startsWith('/icon.svg'))).toBe(true);
    const svg = await fetchInPage(
      ada.page,
      linked.find((href) => href.startsWith('/icon.svg'))!,
    );
    expect(svg.status).toBe(200);
    expect(svg.text).toMatch(/^<svg /);
  });

  it('signs two people up, with field errors from the API, and shows who is signed in', async () => {
    const page = ada.page;
    await goto(page, '/signup');
    await page.getByLabel('Email').fill(ada.email);
    await page.getByLabel('Password').fill('short');
    ada.expected.push('400 /api/users/signup');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expectUi(page.locator('#field-password-error')).toHaveText(
      /between 8 and 128 characters/,
    );
    await expectUi(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
    await screenshot(page, '01-signup-errors');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await arrive(page, '**/teams');
    await expectUi(page.getByTestId('current-user')).toContainText(ada.email);

    await goto(bob.page, '/signup');
    await bob.page.getByLabel('Email').fill(bob.email);
    await bob.page.getByLabel('Password').fill(PASSWORD);
    await bob.page.getByRole('button', { name: 'Sign up' }).click();
    await arrive(bob.page, '**/teams');
    await expectUi(bob.page.getByText('You are not in a team yet')).toBeVisible();
  });

  it('saves names on the profile and applies the theme across the app without a flash', async () => {
    for (const person of [ada, bob]) {
      const [first, last] = person.name.split(' ');
      await goto(person.page, '/profile');
      await person.page.getByLabel('First name').fill(first ?? '');
      await person.page.getByLabel('Last name').fill(last ?? '');
      await person.page.getByRole('button', { name: 'Save profile' }).click();
      await expectUi(person.page.getByText('Saved.')).toBeVisible();
    }
    await bob.page.getByLabel('Dark').check();
    await expectUi(bob.page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectUi(bob.page.getByText('Theme saved.')).toBeVisible();
    // The server renders the theme into the HTML, so the first paint is dark already.
    const { text: html } = await fetchInPage(bob.page, '/teams');
    expect(html).toMatch(/<html lang="en" data-theme="dark"/);
    await screenshot(bob.page, '02-profile-dark');
  });

  it('creates a team and adds the second person by email', async () => {
    const page = ada.page;
    await goto(page, '/teams');
    await page.getByLabel('Team name').fill('Launch crew');
    await page.getByRole('button', { name: 'Create team' }).click();
    await arrive(page, /\/teams\/[0-9a-f-]{36}$/);
    teamId = new URL(page.url()).pathname.split('/')[2] ?? '';
    await expectUi(page.getByRole('heading', { name: 'Launch crew' })).toBeVisible();
    await expectUi(page.getByText('No tasks yet')).toBeVisible();

    await page.getByRole('link', { name: 'Settings' }).click();
    // Bob has not opened the link mailed at sign-up: nobody can add his address yet.
    ada.expected.push(`400 /api/teams/${teamId}/members`);
    await page.getByLabel('Add by email').fill(bob.email);
    await page.getByRole('button', { name: 'Add member' }).click();
    await expectUi(page.locator('#field-email-error')).toContainText(
      'has not verified their email address yet',
    );
    await goto(bob.page, '/teams');
    await expectUi(bob.page.getByTestId('verify-reminder')).toContainText(bob.email);
    await goto(bob.page, await linkMailedTo(bob.email, '/verify-email'));
    await bob.page.getByRole('button', { name: 'Verify my email address' }).click();
    await expectUi(bob.page.getByRole('status')).toContainText('Your email address is verified');
    await goto(bob.page, '/teams');
    await expectUi(bob.page.getByTestId('verify-reminder')).toHaveCount(0);

    // teams learns of it from user.updated, a moment later.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await page.getByLabel('Add by email').fill(bob.email);
      await page.getByRole('button', { name: 'Add member' }).click();
      const added = page.getByTestId(`member-${bob.email}`);
      const refused = page.locator('#field-email-error');
      await expectUi(added.or(refused)).toBeVisible();
      if (await added.isVisible()) break;
      if (Date.now() > deadline) throw new Error('Bob is still not addable 30 s after verifying');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await expectUi(page.getByTestId(`member-${bob.email}`)).toContainText('Bob Builder');
    await screenshot(page, '03-team-settings');
  });

  it('creates a task inline and assigns it to a member on its page', async () => {
    const page = ada.page;
    await goto(page, `/teams/${teamId}`);
    const todo = column(page, 'To do');
    await todo.getByRole('button', { name: 'Add a task to To do' }).click();
    await todo.getByLabel('New task in To do').fill('Write the launch plan');
    await todo.getByRole('button', { name: 'Add', exact: true }).click();
    await expectUi(card(todo, 'Write the launch plan')).toBeVisible();
    await todo.getByLabel('New task in To do').fill('Book the venue');
    await todo.getByRole('button', { name: 'Add', exact: true }).click();
    await expectUi(card(todo, 'Book the venue')).toBeVisible();

    await card(todo, 'Write the launch plan').getByRole('link').click();
    await arrive(page, /\/tasks\/[0-9a-f]{24}$/);
    taskUrl = new URL(page.url()).pathname;
    await page.getByLabel('Assignee').selectOption({ label: 'Bob Builder' });
    await page.getByLabel('Priority').selectOption('high');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Due date').fill(yesterday);
    await page.getByLabel('Tags').fill('launch, docs');
    await page.getByRole('button', { name: '+ Add a field' }).click();
    await page.getByLabel('Custom field 1 name').fill('estimate');
    await page.getByLabel('Custom field 1 value').fill('3');
    await page.getByRole('button', { name: 'Save task' }).click();
    await expectUi(page.getByTestId('activity')).toContainText(
      'changed the assignee from nothing to Bob Builder',
    );
    await reload(page);
    await expectUi(page.getByLabel('Custom field 1 value')).toHaveValue('3');
    await expectUi(page.getByLabel('Assignee')).toHaveValue(/.+/);

    await goto(page, `/teams/${teamId}`);
    const planned = card(page, 'Write the launch plan');
    await expectUi(planned).toHaveClass(/overdue/);
    await expectUi(planned).toContainText('High');
    await expectUi(planned).toContainText('launch');
    await expectUi(planned.getByRole('img', { name: 'Bob Builder' })).toHaveText('BB');
    await screenshot(page, '04-board');
  });

  it('shows all five columns, Done included, at common laptop widths', async () => {
    const page = ada.page;
    await goto(page, `/teams/${teamId}`);
    try {
      for (const width of [1024, 1280, 1366, 1440]) {
        await page.setViewportSize({ width, height: 860 });
        // Each column lies whole inside the board's box and the window: nothing to scroll to.
        const outside = await page.evaluate(() => {
          const board = document.querySelector<HTMLElement>('[data-testid="board"]')!;
          const box = board.getBoundingClientRect();
          return [...board.querySelectorAll<HTMLElement>('section.column')]
            .map((column) => ({
              name: column.querySelector('h2 span')?.textContent ?? '',
              rect: column.getBoundingClientRect(),
            }))
            .filter(
              ({ rect }) =>
                rect.left < box.left ||
                rect.right > box.right + 0.5 ||
                rect.right > document.documentElement.clientWidth,
            )
            .map(({ name }) => name)
            .concat(board.scrollWidth > board.clientWidth + 1 ? ['(the board scrolls)'] : []);
        });
        expect([width, outside]).toEqual([width, []]);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('moves a card by mouse and by keyboard, and the other member’s open board follows live', async () => {
    await goto(bob.page, `/teams/${teamId}`);
    await waitForLive(bob.page);
    await waitForLive(ada.page);
    const page = ada.page;
    // Bob's board places each moved card from the stream's message, without reading the task.
    const reads: string[] = [];
    const onRequest = (req: Request) => {
      if (
        req.method() === 'GET' &&
        /^\/api\/tasks\/[0-9a-f]{24}$/.test(new URL(req.url()).pathname)
      )
        reads.push(req.url());
    };
    bob.page.on('request', onRequest);

    await card(column(page, 'To do'), 'Write the launch plan').dragTo(column(page, 'In progress'));
    await expectUi(card(column(page, 'In progress'), 'Write the launch plan')).toBeVisible();
    await expectUi(card(column(bob.page, 'In progress'), 'Write the launch plan')).toBeVisible();

    const move = page.getByRole('button', { name: 'Move Write the launch plan' });
    await move.focus();
    await page.keyboard.press('Enter');
    await expectUi(page.getByTestId('board-announcement')).toContainText(
      'Picked up Write the launch plan',
    );
    await page.keyboard.press('ArrowRight');
    await expectUi(card(column(page, 'In review'), 'Write the launch plan')).toBeVisible();
    await page.keyboard.press('Space');
    await expectUi(page.getByTestId('board-announcement')).toContainText(
      'Dropped Write the launch plan in In review',
    );
    await expectUi(card(column(bob.page, 'In review'), 'Write the launch plan')).toBeVisible();

    // Within a column: the second task joins In review, then goes above the first.
    await card(column(page, 'To do'), 'Book the venue').dragTo(column(page, 'In review'));
    await expectUi(column(page, 'In review').locator('article.task-card')).toHaveCount(2);
    await page.getByRole('button', { name: 'Move Book the venue' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expectUi(page.getByTestId('board-announcement')).toContainText(
      'Dropped Book the venue in In review, position 1',
    );
    const order = column(bob.page, 'In review').locator('article.task-card .title');
    await expectUi(order).toHaveText(['Book the venue', 'Write the launch plan']);
    bob.page.off('request', onRequest);
    expect(reads).toEqual([]);

    await reload(page);
    await expectUi(column(page, 'In review').locator('article.task-card .title')).toHaveText([
      'Book the venue',
      'Write the launch plan',
    ]);
  });

  it('filters the board through the URL', async () => {
    const page = ada.page;
    await page.getByLabel('Assignee').selectOption({ label: 'Bob Builder' });
    await arrive(page, /assignee=/);
    await expectUi(page.locator('article.task-card')).toHaveCount(1);
    await page.getByLabel('Search').fill('venue');
    await page.getByRole('button', { name: 'Apply' }).click();
    await arrive(page, /q=venue/);
    await expectUi(page.getByText('No tasks match these filters.')).toBeVisible();
    const shared = page.url();
    await goto(bob.page, shared);
    await expectUi(bob.page.getByLabel('Search')).toHaveValue('venue');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectUi(page.locator('article.task-card')).toHaveCount(2);
    await goto(bob.page, `/teams/${teamId}`);
    await waitForLive(bob.page);
  });

  it('comments with a mention, and the mentioned member sees the notification arrive live', async () => {
    const page = ada.page;
    await goto(page, taskUrl);
    const before = Number(
      (await bob.page
        .getByTestId('unread-count')
        .textContent()
        .catch(() => '0')) || 0,
    );
    const box = page.getByRole('combobox', { name: 'Comment' });
    await box.click();
    await page.keyboard.type('Could you review this, @bo');
    await expectUi(
      page
        .getByRole('listbox', { name: 'Members to mention' })
        .getByRole('option', { name: /Bob Builder/ }),
    ).toBeVisible();
    await page.keyboard.press('Enter');
    await page.keyboard.type('please? **Thanks**');
    await expectUi(box).toHaveValue(
      /Could you review this, @\[Bob Builder\]\([0-9a-f]{24}\) please\? \*\*Thanks\*\*/,
    );
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    const comments = page.getByTestId('comments');
    await expectUi(comments.locator('.mention')).toHaveText('@Bob Builder');
    await expectUi(comments.locator('strong', { hasText: 'Thanks' })).toBeVisible();

    await expectUi(bob.page.getByTestId('unread-count')).toHaveText(String(before + 1));
    await bob.page.getByRole('button', { name: /^Notifications/ }).click();
    const mention = bob.page.getByRole('link', {
      name: /Ada Lovelace mentioned you on “Write the launch plan”/,
    });
    await expectUi(mention).toBeVisible();
    await screenshot(bob.page, '05-notification-live');
    await mention.click();
    await arrive(bob.page, /\/tasks\/[0-9a-f]{24}#comment-/);
    await expectUi(bob.page.getByTestId('comments').locator('.mention')).toHaveText('@Bob Builder');
    await goto(bob.page, '/notifications');
    await expectUi(bob.page.getByTestId('notifications')).toContainText('mentioned you');
    await screenshot(bob.page, '06-notifications');
  });

  it('uploads an attachment with progress and downloads the same bytes', async () => {
    const page = ada.page;
    const bytes = Buffer.from(`Launch plan\n${'- step\n'.repeat(20_000)}`);
    await page.evaluate(() => {
      const seen = document.createElement('meta');
      seen.name = 'saw-progress';
      new MutationObserver(() => {
        if (document.querySelector('progress')) document.head.append(seen);
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page
      .getByLabel('Attach a file')
      .setInputFiles({ name: 'plan.txt', mimeType: 'text/plain', buffer: bytes });
    const attachment = page
      .getByTestId('attachments')
      .getByRole('button', { name: 'plan.txt', exact: true });
    await expectUi(attachment).toBeVisible();
    await expectUi(page.locator('meta[name="saw-progress"]')).toHaveCount(1);
    await expectUi(page.getByTestId('activity')).toContainText('attached plan.txt');
    await screenshot(page, '07-task');

    const [download] = await Promise.all([page.waitForEvent('download'), attachment.click()]);
    expect(download.suggestedFilename()).toBe('plan.txt');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('shows the dashboard numbers change as the other member finishes a task', async () => {
    const page = ada.page;
    await goto(page, `/teams/${teamId}/dashboard`);
    await waitForLive(page);
    await expectUi(page.getByTestId('stat-total')).toHaveText('2');
    await expectUi(page.getByTestId('stat-done')).toHaveText('0');
    await expectUi(page.getByTestId('stat-overdue')).toHaveText('1');
    await expectUi(page.getByTestId('stat-overdue')).toHaveClass(/overdue/);
    await expectUi(page.getByTestId('stat-cycle-time')).toHaveText('—');
    // A bar's length is its svg's width attribute, a share of the longest bar.
    const bar = (name: string) => page.getByTestId(`count-${name}`).locator('svg.bar');
    await expectUi(bar('Done')).toHaveCount(0);
    await expectUi(bar('In review')).toHaveAttribute('width', '100%');

    await goto(bob.page, `/teams/${teamId}`);
    await bob.page.getByRole('button', { name: 'Move Write the launch plan' }).focus();
    await bob.page.keyboard.press('Enter');
    await bob.page.keyboard.press('ArrowRight');
    await bob.page.keyboard.press('Enter');
    await expectUi(card(column(bob.page, 'Done'), 'Write the launch plan')).toBeVisible();

    await expectUi(page.getByTestId('stat-done')).toHaveText('1');
    await expectUi(page.getByTestId('stat-overdue')).toHaveText('0');
    await expectUi(page.getByTestId('stat-overdue')).not.toHaveClass(/overdue/);
    await expectUi(page.getByTestId('stat-cycle-time')).not.toHaveText('—');
    await expectUi(bar('Done')).toHaveAttribute('width', '100%');
    const [done, review] = await Promise.all([
      bar('Done').boundingBox(),
      bar('In review').boundingBox(),
    ]);
    expect(done?.width).toBeGreaterThan(100);
    expect(done?.width).toBe(review?.width);
    await screenshot(page, '08-dashboard');
  });

  it('lists the team’s audit log with filters and a CSV export', async () => {
    const page = ada.page;
    await goto(page, `/teams/${teamId}/audit?entityType=task`);
    await expectUi(page.getByTestId('audit-log')).toContainText('task.created');
    await expectUi(page.getByTestId('audit-log')).not.toContainText('member.added');
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    const csv = await fetchInPage(page, href ?? '');
    expect(csv.contentType).toMatch(/text\/csv/);
    expect(csv.text).toMatch(/task\.created/);
    await screenshot(page, '09-audit');
  });

  it('creates, edits and finds a ticket; only its seller may edit it', async () => {
    const page = ada.page;
    await goto(page, '/tickets/new');
    ada.expected.push('400 /api/tickets');
    await page.getByRole('button', { name: 'List ticket' }).click();
    await expectUi(page.locator('#field-title-error')).toBeVisible();
    await expectUi(page.locator('#field-price-error')).toBeVisible();
    await page.getByLabel('Title').fill(`Launch party ${run}`);
    await page.getByLabel('Price (USD)').fill('25');
    await page.getByRole('button', { name: 'List ticket' }).click();
    await arrive(page, /\/tickets\/[0-9a-f]{24}$/);
    await expectUi(page.getByText('$25.00')).toBeVisible();
    const ticketUrl = new URL(page.url()).pathname;

    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Price (USD)').fill('30.5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await arrive(page, `**${ticketUrl}`);
    await expectUi(page.getByText('$30.50')).toBeVisible();
    await screenshot(page, '10-ticket');

    await goto(page, `/tickets?q=${encodeURIComponent(`launch party ${run}`)}`);
    await expectUi(page.getByRole('link', { name: `Launch party ${run}` })).toBeVisible();
    await screenshot(page, '11-tickets');
    await goto(page, `/tickets?q=${encodeURIComponent(`launch party ${run}`)}&maxPrice=10`);
    await expectUi(page.getByText('No tickets match these filters.')).toBeVisible();

    await goto(bob.page, ticketUrl);
    await expectUi(bob.page.getByText('Sold by Ada Lovelace')).toBeVisible();
    await expectUi(bob.page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  });

  it('works on a phone-sized screen', async () => {
    const phone = await openPerson('Ada on a phone', ada.email, { width: 390, height: 844 });
    await phone.context.addCookies(await ada.context.cookies());
    await goto(phone.page, `/teams/${teamId}`);
    await expectUi(card(phone.page, 'Book the venue')).toBeVisible();
    await screenshot(phone.page, '12-phone-board', false);
    // Nothing makes the page itself scroll sideways (the board scrolls inside its own box).
    const wider = await phone.page.evaluate(() =>
      document.documentElement.scrollWidth > window.innerWidth
        ? [...document.querySelectorAll<HTMLElement>('body *')]
            .filter(
              (e) => e.getBoundingClientRect().right > window.innerWidth && !e.closest('.board'),
            )
            .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
        : [],
    );
    expect(wider).toEqual([]);
    // The board keeps its phone layout: one column at a time, most of the screen wide, the next
    // a swipe away.
    const layout = await phone.page.evaluate(() => {
      const board = document.querySelector<HTMLElement>('[data-testid="board"]')!;
      const first = board.querySelector<HTMLElement>('section.column')!;
      return {
        share: first.clientWidth / board.clientWidth,
        scrolls: board.scrollWidth > board.clientWidth,
      };
    });
    expect(layout.scrolls).toBe(true);
    expect(layout.share).toBeGreaterThan(0.8);
    await goto(phone.page, taskUrl);
    await expectUi(
      phone.page.getByRole('heading', { name: 'Write the launch plan' }),
    ).toBeVisible();
    await screenshot(phone.page, '13-phone-task', false);
  });

  it('signs out everywhere: a session on another device ends with this one', async () => {
    const other = await openPerson('Ada elsewhere', ada.email);
    await other.context.addCookies(await ada.context.cookies());
    await goto(other.page, '/teams');
    await expectUi(other.page.getByRole('link', { name: 'Launch crew' })).toBeVisible();
    // Both pages' live streams and polls meet the ended session once before they go.
    for (const person of [ada, other]) person.expected.push('401 /api/');

    await goto(ada.page, '/profile');
    await ada.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await arrive(ada.page, /\/signin/);
    // The other device's next page finds no session: the API refuses its cookie everywhere.
    await goto(other.page, '/teams');
    await arrive(other.page, /\/signin/);
    await other.context.close();
  });

  it('resets a forgotten password from the emailed link, and only once', async () => {
    const page = ada.page;
    // A password too short, then the link used again: the API's answers, shown on the form.
    ada.expected.push('400 /api/users/password-reset/confirm');
    await goto(page, '/signin');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await arrive(page, /\/forgot-password$/);
    await page.getByLabel('Email').fill(ada.email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expectUi(page.getByRole('status')).toContainText(
      `If ${ada.email} has a TaskForge account`,
    );

    const link = await linkMailedTo(ada.email, '/reset-password');
    await goto(page, link);
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expectUi(page.locator('#field-password-error')).toHaveText(
      'Password must be between 8 and 128 characters',
    );
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expectUi(page.getByRole('status')).toContainText('Your password is set');

    // The link has done its work: a second use is refused, with the way to a new one.
    await goto(page, link);
    await page.getByLabel('New password').fill('another new password');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expectUi(page.locator('.form-errors[role="alert"]')).toContainText(
      'This reset link is invalid or has expired',
    );
    await expectUi(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();

    await goto(page, '/signin');
    await page.getByLabel('Email').fill(ada.email);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(page, /\/teams$/);
    await expectUi(page.getByTestId('current-user')).toContainText(ada.email);
  });

  it('signs out', async () => {
    await goto(bob.page, '/teams');
    await bob.page.getByRole('button', { name: 'Sign out' }).click();
    await arrive(bob.page, `${url}/`);
    await expectUi(
      bob.page.getByRole('banner').getByRole('link', { name: 'Sign in' }),
    ).toBeVisible();
  });

  it('deletes an account: the last admin is told to hand the team over, a member leaves for good', async () => {
    for (const person of [ada, bob]) {
      person.page.on('dialog', (dialog) => void dialog.accept());
    }
    // Ada is the only admin of Launch crew: the API refuses, and the form says why.
    ada.expected.push('409 /api/users/me');
    await goto(ada.page, '/profile');
    await ada.page.getByLabel('Your password').fill(NEW_PASSWORD);
    await ada.page.getByRole('button', { name: 'Delete my account' }).click();
    await expectUi(ada.page.locator('.danger-zone .form-errors[role="alert"]')).toContainText(
      'You are the last admin of "Launch crew"',
    );

    const bobsPage = bob.page;
    await goto(bobsPage, '/signin');
    await bobsPage.getByLabel('Email').fill(bob.email);
    await bobsPage.getByLabel('Password').fill(PASSWORD);
    await bobsPage.getByRole('button', { name: 'Sign in' }).click();
    await arrive(bobsPage, /\/teams$/);
    await goto(bobsPage, '/profile');
    await bobsPage.getByLabel('Your password').fill(PASSWORD);
    await bobsPage.getByRole('button', { name: 'Delete my account' }).click();
    await arrive(bobsPage, `${url}/`);
    await expectUi(
      bobsPage.getByRole('banner').getByRole('link', { name: 'Sign in' }),
    ).toBeVisible();
    // His address no longer signs in.
    bob.expected.push('400 /api/users/signin');
    await goto(bobsPage, '/signin');
    await bobsPage.getByLabel('Email').fill(bob.email);
    await bobsPage.getByLabel('Password').fill(PASSWORD);
    await bobsPage.getByRole('button', { name: 'Sign in' }).click();
    await expectUi(bobsPage.locator('.form-errors[role="alert"]')).toContainText(
      'Invalid credentials',
    );

    // Teams ends his membership once user.deleted reaches it; the task he had keeps him as its
    // assignee, shown as someone who left, his name gone.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await goto(ada.page, `/teams/${teamId}/settings`);
      if ((await ada.page.getByTestId(`member-${bob.email}`).count()) === 0) break;
      if (Date.now() > deadline) throw new Error('Bob is still a member 30 s after deleting');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await goto(ada.page, taskUrl);
    await expectUi(ada.page.getByTestId('activity')).toContainText(
      'changed the assignee from nothing to a former member',
    );
    await expectUi(ada.page.getByTestId('activity')).not.toContainText('Bob Builder');
  });

  it('changes the email address once the link mailed to the new one is opened', async () => {
    const page = ada.page;
    const moved = `ada-moved-${run}@taskforge.test`;
    await goto(page, '/profile');
    await page.getByLabel('New email address').fill(moved);
    await page.locator('#field-emailPassword').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change email address' }).click();
    await expectUi(page.getByTestId('email-status')).toContainText(ada.email);
    await expectUi(page.getByText(`Your address changes to ${moved}`)).toBeVisible();

    await goto(page, await linkMailedTo(moved, '/verify-email'));
    await page.getByRole('button', { name: 'Verify my email address' }).click();
    await expectUi(page.getByRole('status')).toContainText('Your email address is verified');
    await goto(page, '/profile');
    await expectUi(page.getByTestId('email-status')).toContainText(`${moved} Verified`);
    await expectUi(page.getByTestId('current-user')).toContainText(moved);
  });
});
