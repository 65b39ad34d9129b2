import { hideDeletedMentions, parseMentions } from '../mentions';

describe('parseMentions', () => {
  it.each([
    ['no mention', 'plain text', []],
    ['one mention', 'ping @[Ada Lovelace](u1) please', ['u1']],
    ['several, in order, each once', '@[B](u2) then @[A](u1) and @[B again](u2)', ['u2', 'u1']],
    ['a mention at the very start and end', '@[A](u1)@[B](u2)', ['u1', 'u2']],
    ['an e-mail address is not a mention', 'mail ada@example.com', []],
    ['a bare @name is not a mention', 'hi @ada', []],
    ['a link without @ is not a mention', '[Ada](u1)', []],
    ['an id with forbidden characters', '@[A](u1;drop) @[B](../x)', []],
    ['an id over 64 characters', `@[A](${'x'.repeat(65)})`, []],
    ['a label across lines', '@[A\nB](u1)', []],
    ['ids with _ and -', '@[A](a_b-1)', ['a_b-1']],
  ])('%s', (_label, content, expected) => {
    expect(parseMentions(content)).toEqual(expected);
  });
});

describe('hideDeletedMentions', () => {
  const deleted = new Set(['u1']);
  it.each([
    ['no mention', 'plain text', 'plain text'],
    [
      'a deleted user, every time',
      '@[Ada](u1) and @[A. L.](u1)',
      '@[Unknown user](u1) and @[Unknown user](u1)',
    ],
    [
      'someone else kept as written',
      '@[Ada](u1) asks @[Bob](u2)',
      '@[Unknown user](u1) asks @[Bob](u2)',
    ],
    ['a label across lines is not a mention', '@[Ada\nL](u1)', '@[Ada\nL](u1)'],
    ['an id that only starts like theirs', '@[Ada](u10)', '@[Ada](u10)'],
  ])('%s', (_label, content, expected) => {
    expect(hideDeletedMentions(content, deleted)).toBe(expected);
  });
});
