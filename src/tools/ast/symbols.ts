/**
 * Finds the node a symbol names. `fn` is a top-level function (declaration, or a variable holding an
 * arrow function / function expression); `Class.method`, `Class.constructor`, `Class.get x`,
 * `Class.set x` and `Class.prop` (a property holding an arrow function) are class members; `obj.m`
 * is a method or function-valued property of a top-level `const obj = { … }`. Misses
 * throw `ToolFailure` listing what does exist, so the model can correct the name.
 */
import {
  type ClassDeclaration,
  type Node,
  type ObjectLiteralExpression,
  type SourceFile,
  type Statement,
} from 'ts-morph';
import { ToolFailure } from '../failure.ts';
import { lazyTsMorph } from './ts-morph.ts';

const N = lazyTsMorph('Node');

/** A node whose body can be replaced. */
export type BodyOwner = Node & { getBody(): Node | undefined };

const IDENT = /^#?[A-Za-z_$][\w$]*$/;

/** Parses `symbol` into a top-level name and an optional member (with accessor kind). */
export function parseSymbol(symbol: string): { top: string; member?: string; accessor?: 'get' | 'set' } {
  const s = symbol.trim();
  const dot = s.indexOf('.');
  const top = dot === -1 ? s : s.slice(0, dot);
  if (!IDENT.test(top) || top.startsWith('#'))
    throw new ToolFailure(`symbol: "${symbol}" is not a name like "fn" or "Class.method".`);
  if (dot === -1) return { top };
  const rest = s.slice(dot + 1).trim();
  const acc = /^(get|set)\s+(\S+)$/.exec(rest);
  const member = acc ? (acc[2] as string) : rest;
  if (!IDENT.test(member)) throw new ToolFailure(`symbol: "${symbol}" is not a name like "fn" or "Class.method".`);
  return acc ? { top, member, accessor: acc[1] as 'get' | 'set' } : { top, member };
}

/** Finds the function-like node whose body `replace_body` replaces. */
export function findBodyOwner(sf: SourceFile, symbol: string): BodyOwner {
  const sym = parseSymbol(symbol);
  if (sym.member === undefined) return findFunction(sf, sym.top);
  const cls = sf.getClass(sym.top);
  if (cls) return findMember(cls, sym.member, sym.accessor);
  const obj = unwrapObject(sf.getVariableDeclaration(sym.top)?.getInitializer());
  if (obj) return findObjectMember(obj, sym.top, sym.member, sym.accessor);
  throw new ToolFailure(`symbol: no top-level class or object "${sym.top}" in this file. ${inventory(sf)}`);
}

/** A method, accessor or function-valued property of a top-level object literal (`const api = { … }`). */
function findObjectMember(
  obj: ObjectLiteralExpression,
  top: string,
  member: string,
  accessor?: 'get' | 'set',
): BodyOwner {
  const found: BodyOwner[] = [];
  for (const p of obj.getProperties()) {
    if (!N.hasName(p) || p.getName() !== member) continue;
    if (N.isMethodDeclaration(p) && accessor === undefined) found.push(p);
    else if (N.isGetAccessorDeclaration(p) && accessor !== 'set') found.push(p);
    else if (N.isSetAccessorDeclaration(p) && accessor !== 'get') found.push(p);
    else if (N.isPropertyAssignment(p) && accessor === undefined) {
      const fn = unwrapFunction(p.getInitializer());
      if (fn) found.push(fn);
    }
  }
  if (found.length === 1 && found[0]) return found[0];
  if (found.length > 1)
    throw new ToolFailure(
      `symbol: ${top}.${member} is ambiguous; name the accessor as "${top}.get ${member}" or "${top}.set ${member}".`,
    );
  const names = obj.getProperties().flatMap((p) => (N.hasName(p) ? [p.getName()] : []));
  throw new ToolFailure(`symbol: object ${top} has no function "${member}". Members: ${names.join(', ') || '(none)'}.`);
}

/** The object literal inside `node`, looking through parentheses, `as` and `satisfies`. */
function unwrapObject(node: Node | undefined): ObjectLiteralExpression | undefined {
  let cur = node;
  while (cur && (N.isParenthesizedExpression(cur) || N.isAsExpression(cur) || N.isSatisfiesExpression(cur))) {
    cur = cur.getExpression();
  }
  return cur && N.isObjectLiteralExpression(cur) ? cur : undefined;
}

function findFunction(sf: SourceFile, name: string): BodyOwner {
  const impls = sf.getFunctions().filter((f) => f.getName() === name && f.getBody() !== undefined);
  if (impls[0]) return impls[0];
  const decl = sf.getVariableDeclaration(name);
  const fn = decl ? unwrapFunction(decl.getInitializer()) : undefined;
  if (fn) return fn;
  if (decl) throw new ToolFailure(`symbol: "${name}" is a variable but not a function; use replace_declaration.`);
  throw new ToolFailure(`symbol: no top-level function "${name}" in this file. ${inventory(sf)}`);
}

function findMember(cls: ClassDeclaration, member: string, accessor?: 'get' | 'set'): BodyOwner {
  const cname = cls.getName() ?? '(class)';
  if (member === 'constructor') {
    const ctor = cls.getConstructors().find((c) => c.getBody() !== undefined);
    if (ctor) return ctor;
    throw new ToolFailure(
      `symbol: class ${cname} has no constructor; add one with replace_declaration. ${members(cls)}`,
    );
  }
  const getter = cls.getGetAccessor(member);
  const setter = cls.getSetAccessor(member);
  if (accessor === 'get' && getter) return getter;
  if (accessor === 'set' && setter) return setter;
  if (accessor === undefined) {
    const methods = cls.getMethods().filter((m) => m.getName() === member && m.getBody() !== undefined);
    if (methods.length > 1)
      throw new ToolFailure(
        `symbol: ${cname}.${member} has ${methods.length} implementations (static and instance?); use replace_declaration on the class.`,
      );
    if (methods[0]) return methods[0];
    if (getter && setter)
      throw new ToolFailure(
        `symbol: ${cname}.${member} has a getter and a setter; name one as "${cname}.get ${member}" or "${cname}.set ${member}".`,
      );
    if (getter) return getter;
    if (setter) return setter;
    const fn = unwrapFunction(cls.getProperty(member)?.getInitializer());
    if (fn) return fn;
  }
  throw new ToolFailure(
    `symbol: class ${cname} has no ${accessor ? `${accessor} accessor ` : 'method '}"${member}" with a body. ${members(cls)}`,
  );
}

/** The arrow function / function expression inside `node`, looking through parentheses, `as`, `satisfies`. */
function unwrapFunction(node: Node | undefined): BodyOwner | undefined {
  let cur = node;
  while (cur && (N.isParenthesizedExpression(cur) || N.isAsExpression(cur) || N.isSatisfiesExpression(cur))) {
    cur = cur.getExpression();
  }
  if (cur && (N.isArrowFunction(cur) || N.isFunctionExpression(cur))) return cur;
  return undefined;
}

/** The top-level statements declaring `name` (several for overloads or declaration merging). */
export function findTopLevel(sf: SourceFile, name: string): Statement[] {
  return sf.getStatements().filter((st) => topLevelNames(st).includes(name));
}

/** Names a top-level statement declares (empty for expressions, imports, anonymous defaults). */
export function topLevelNames(st: Statement): string[] {
  if (N.isVariableStatement(st)) return st.getDeclarations().map((d) => d.getName());
  if (
    N.isFunctionDeclaration(st) ||
    N.isClassDeclaration(st) ||
    N.isInterfaceDeclaration(st) ||
    N.isTypeAliasDeclaration(st) ||
    N.isEnumDeclaration(st) ||
    N.isModuleDeclaration(st)
  ) {
    const name = st.getName();
    return name === undefined ? [] : [name];
  }
  return [];
}

/** "Top-level declarations: a, b, C" — shown when a name is not found. */
export function inventory(sf: SourceFile): string {
  const names = [...new Set(sf.getStatements().flatMap(topLevelNames))];
  return names.length > 0
    ? `Top-level declarations: ${names.slice(0, 40).join(', ')}.`
    : 'The file has no named top-level declarations.';
}

function members(cls: ClassDeclaration): string {
  const names = cls.getMembers().map((m) => {
    if (N.isConstructorDeclaration(m)) return 'constructor';
    if (N.isGetAccessorDeclaration(m)) return `get ${m.getName()}`;
    if (N.isSetAccessorDeclaration(m)) return `set ${m.getName()}`;
    return N.hasName(m) ? m.getName() : '';
  });
  return `Members: ${[...new Set(names.filter((n) => n !== ''))].join(', ') || '(none)'}.`;
}
