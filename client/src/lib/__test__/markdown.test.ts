import { parseInline, parseMarkdown, safeHref } from '../markdown';

describe('markdown', () => {
  it('parses emphasis, code, links and mentions into a tree, never HTML', () => {
    expect(parseInline('**bold** and *em* and `a<b>` @[Ada](u1) [docs](https://x.test/a)')).toEqual(
      [
        { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
        { type: 'text', text: ' and ' },
        { type: 'em', children: [{ type: 'text', text: 'em' }] },
        { type: 'text', text: ' and ' },
        { type: 'code', text: 'a<b>' },
        { type: 'text', text: ' ' },
        { type: 'mention', name: 'Ada', userId: 'u1' },
        { type: 'text', text: ' ' },
        { type: 'link', href: 'https://x.test/a', children: [{ type: 'text', text: 'docs' }] },
      ],
    );
  });

  it('keeps HTML as text', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([
      { type: 'text', text: '<img src=x onerror=alert(1)>' },
    ]);
  });

  it('keeps links with unsafe targets as plain text', () => {
    expect(parseInline('[click](javascript:alert(1))')).toEqual([
      { type: 'text', text: '[click](javascript:alert(1)' },
      { type: 'text', text: ')' },
    ]);
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('//evil.test/x')).toBeUndefined();
    expect(safeHref('/teams/1')).toBe('/teams/1');
    expect(safeHref('mailto:a@b.test')).toBe('mailto:a@b.test');
  });

  it('does not read snake_case or a*b*c as emphasis', () => {
    expect(parseInline('snake_case_name')).toEqual([{ type: 'text', text: 'snake_case_name' }]);
    expect(parseInline('2*3*4')).toEqual([{ type: 'text', text: '2*3*4' }]);
  });

  it('splits blocks: paragraphs with line breaks, lists, code and headings', () => {
    const blocks = parseMarkdown(
      '# Plan\nfirst line\nsecond\n\n- one\n- two\n\n1. a\n\n```\n<b>x</b>\n```',
    );
    expect(blocks).toEqual([
      { type: 'heading', children: [{ type: 'text', text: 'Plan' }] },
      {
        type: 'paragraph',
        lines: [[{ type: 'text', text: 'first line' }], [{ type: 'text', text: 'second' }]],
      },
      {
        type: 'list',
        ordered: false,
        items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]],
      },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'a' }]] },
      { type: 'code', text: '<b>x</b>' },
    ]);
  });
});
