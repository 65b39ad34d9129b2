import { Fragment, type ReactNode } from 'react';
import { parseMarkdown, type Inline } from '../lib/markdown';

/**
 * Markdown as React elements: text stays text (React escapes it), so what users write can never
 * become markup. Mentions show the member's name.
 */
export function MarkdownView({
  source,
  nameOf,
}: {
  source: string;
  nameOf?: (userId: string, fallback: string) => string;
}) {
  const blocks = parseMarkdown(source);
  return (
    <div className="markdown">
      {blocks.map((block, i) => {
        switch (block.type) {
          case 'heading':
            return (
              <p key={i}>
                <strong>{renderInline(block.children, nameOf)}</strong>
              </p>
            );
          case 'code':
            return (
              <pre key={i}>
                <code>{block.text}</code>
              </pre>
            );
          case 'list': {
            const items = block.items.map((item, j) => (
              <li key={j}>{renderInline(item, nameOf)}</li>
            ));
            return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          case 'paragraph':
            return (
              <p key={i}>
                {block.lines.map((line, j) => (
                  <Fragment key={j}>
                    {j > 0 && <br />}
                    {renderInline(line, nameOf)}
                  </Fragment>
                ))}
              </p>
            );
        }
      })}
    </div>
  );
}

function renderInline(
  nodes: Inline[],
  nameOf?: (userId: string, fallback: string) => string,
): ReactNode {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return <Fragment key={i}>{node.text}</Fragment>;
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'strong':
        return <strong key={i}>{renderInline(node.children, nameOf)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(node.children, nameOf)}</em>;
      case 'link':
        return (
          <a
            key={i}
            href={node.href}
            rel="noopener noreferrer nofollow"
            target={node.href.startsWith('/') ? undefined : '_blank'}
          >
            {renderInline(node.children, nameOf)}
          </a>
        );
      case 'mention':
        return (
          <span key={i} className="mention" data-user-id={node.userId}>
            @{nameOf ? nameOf(node.userId, node.name) : node.name}
          </span>
        );
    }
  });
}
