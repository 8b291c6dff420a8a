import type * as TS from 'typescript';

/** The declaration as written, with its leading comments (what the model sees), up to `end` if given. */
export function rawWithComments(ts: typeof TS, sf: TS.SourceFile, node: TS.Node, end = node.end): string {
  const comments = ts.getLeadingCommentRanges(sf.text, node.pos) ?? [];
  const start = comments[0]?.pos ?? node.getStart(sf);
  return sf.text.slice(start, end).trim();
}

/**
 * The tokens of `node` (minus the `omit` subtree) joined by single spaces, for the hash of a value
 * declaration. The printer is not used here: it keeps an object or array literal on several lines when
 * the source had it so, and keeps trailing commas, so reformatting an initializer would change its
 * output. Comments are trivia and never tokens; a trailing `,` or `;` is dropped, and every statement
 * and member ends in one `;` instead, so optional separators and ASI cannot change the text while
 * statements stay apart.
 */
export function canonicalText(ts: typeof TS, sf: TS.SourceFile, node: TS.Node, omit?: TS.Node): string {
  const out: string[] = [];
  const visit = (n: TS.Node): void => {
    if (n === omit || (n.kind >= ts.SyntaxKind.FirstJSDocNode && n.kind <= ts.SyntaxKind.LastJSDocNode)) return;
    const children = n.getChildren(sf);
    if (children.length === 0) {
      // A leaf is a token; string, template and regex tokens keep their inner whitespace as written.
      if (n.kind !== ts.SyntaxKind.EndOfFileToken) out.push(n.getText(sf));
      return;
    }
    children.forEach((child, i) => {
      const separator = child.kind === ts.SyntaxKind.CommaToken || child.kind === ts.SyntaxKind.SemicolonToken;
      if (!(separator && i === children.length - 1)) visit(child);
    });
    if (ts.isStatement(n) || ts.isClassElement(n) || ts.isTypeElement(n)) out.push(';');
  };
  visit(node);
  return out.join(' ');
}
