import { readdirSync } from 'node:fs';
import path from 'node:path';
import { SyntaxKind } from 'typescript/unstable/ast';
import { API } from 'typescript/unstable/sync';
import { describe, expect, it } from 'vitest';

/**
 * No import circles in server/, shared/ or client/src, type-only imports included: a circle
 * makes the floors meaningless (what sits under deps.ts must not need deps.ts) and, for value
 * imports, makes module evaluation order decide whether a binding is there yet.
 *
 * The files are parsed by TypeScript itself (the compiler's API, over both tsconfig projects),
 * so comments, strings and template literals can never be mistaken for imports.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SCOPES = ['server', 'shared', 'client/src'];

type Graph = Map<string, Set<string>>;

function inScope(file: string): boolean {
  return SCOPES.some((scope) => file.startsWith(`${scope}/`)) && /\.tsx?$/.test(file);
}

function sourceFilesOnDisk(): string[] {
  return SCOPES.flatMap((scope) =>
    readdirSync(path.join(ROOT, scope), { recursive: true, encoding: 'utf8' })
      .map((f) => `${scope}/${f.split(path.sep).join('/')}`)
      .filter(inScope),
  );
}

/** Every relative import, export-from, dynamic `import('…')` and `import('…')` type of each file. */
function importGraph(): Graph {
  const api = new API({ cwd: ROOT });
  const graph: Graph = new Map();
  try {
    const snapshot = api.updateSnapshot({ openProjects: ['tsconfig.json', 'client/tsconfig.json'] });
    for (const project of snapshot.getProjects()) {
      for (const fileName of project.program.getSourceFileNames()) {
        const file = path.relative(ROOT, fileName).split(path.sep).join('/');
        if (!inScope(file) || graph.has(file)) continue;
        const source = project.program.getSourceFile(fileName);
        if (!source) continue;
        const edges = new Set<string>();
        const add = (specifier: string) => {
          if (!specifier.startsWith('.')) return;
          edges.add(
            path
              .relative(ROOT, path.resolve(path.dirname(fileName), specifier))
              .split(path.sep)
              .join('/'),
          );
        };
        // biome-ignore lint/suspicious/noExplicitAny: the unstable AST is walked by kind.
        const visit = (node: any): void => {
          switch (node.kind) {
            case SyntaxKind.ImportDeclaration:
            case SyntaxKind.ExportDeclaration:
              if (node.moduleSpecifier?.kind === SyntaxKind.StringLiteral) add(node.moduleSpecifier.text);
              break;
            case SyntaxKind.CallExpression:
              if (
                node.expression.kind === SyntaxKind.ImportKeyword &&
                node.arguments[0]?.kind === SyntaxKind.StringLiteral
              )
                add(node.arguments[0].text);
              break;
            case SyntaxKind.ImportType: {
              const literal = node.argument?.literal;
              if (literal?.kind === SyntaxKind.StringLiteral) add(literal.text);
              break;
            }
          }
          node.forEachChild(visit);
        };
        visit(source);
        graph.set(file, edges);
      }
    }
  } finally {
    api.close();
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): Tarjan's. */
function circles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return found;
}

describe('import graph', () => {
  const graph = importGraph();

  it('covers every source file and sees their imports', () => {
    expect([...graph.keys()].sort()).toEqual(sourceFilesOnDisk().sort());
    // A parser that silently found nothing would make the next test pass for nothing.
    expect(graph.get('server/app.ts')).toContain('server/hub.ts');
    expect(graph.get('server/jobs/worker.ts')).toContain('server/hub.ts');
    expect(graph.get('client/src/sdk.ts')?.size).toBeGreaterThan(0);
  });

  it('finds circles when there are some', () => {
    const sample: Graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['d', 'a'])],
      ['e', new Set(['a'])],
    ]);
    expect(circles(sample)).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('has no circle in server/, shared/ or client/src (type-only imports included)', () => {
    expect(circles(graph)).toEqual([]);
  });
});
