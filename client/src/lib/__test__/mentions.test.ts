import {
  insertMention,
  mentionedIds,
  mentionQueryAt,
  mentionToken,
  splitMentions,
} from '../mentions';

describe('mentions', () => {
  it('splits text into plain runs and mentions', () => {
    expect(splitMentions('Hi @[Ada Lovelace](u1), see @[Bob](u2)!')).toEqual([
      { type: 'text', text: 'Hi ' },
      { type: 'mention', name: 'Ada Lovelace', userId: 'u1' },
      { type: 'text', text: ', see ' },
      { type: 'mention', name: 'Bob', userId: 'u2' },
      { type: 'text', text: '!' },
    ]);
  });

  it('leaves what is not a mention as text: bad ids, line breaks in names', () => {
    const text = '@[Eve](not an id) and @[Multi\nline](u3) and email@[x](y z)';
    expect(splitMentions(text)).toEqual([{ type: 'text', text }]);
  });

  it('lists each mentioned id once, in order', () => {
    expect(mentionedIds('@[A](u2) @[B](u1) @[A again](u2)')).toEqual(['u2', 'u1']);
  });

  it('makes a token whose label cannot end it early', () => {
    expect(mentionToken('Ada] (evil)', 'u1')).toBe('@[Ada  (evil)](u1)');
    expect(mentionToken('  ', 'u1')).toBe('@[member](u1)');
    expect(splitMentions(mentionToken('x]y\nz', 'abc_1'))).toEqual([
      { type: 'mention', name: 'x y z', userId: 'abc_1' },
    ]);
  });

  it('finds the mention being typed at the caret', () => {
    expect(mentionQueryAt('Hello @ad', 9)).toEqual({ start: 6, query: 'ad' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('mail me@home', 12)).toBeNull();
    expect(mentionQueryAt('Hello @ad and more', 18)).toBeNull();
  });

  it('replaces the typed query with the token and puts the caret after it', () => {
    const result = insertMention('Ping @ad please', 5, 8, { name: 'Ada', userId: 'u1' });
    expect(result.text).toBe('Ping @[Ada](u1)  please');
    expect(result.caret).toBe('Ping @[Ada](u1) '.length);
  });
});
