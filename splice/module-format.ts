import type * as TS from 'typescript';

type WithFormat = { getEmitModuleFormatOfFile?(sf: TS.SourceFile): TS.ModuleKind };

/**
 * Whether tsc emits this file as CommonJS, where imports become `require` calls and the module transform
 * rewrites references to imported names. Uses the program's own answer when it has one (TS >= 5.6).
 */
export function emitsCommonJs(ts: typeof TS, program: TS.Program, sf: TS.SourceFile): boolean {
  const own = (program as WithFormat).getEmitModuleFormatOfFile;
  if (own) return own.call(program, sf) === ts.ModuleKind.CommonJS;
  const o = program.getCompilerOptions();
  const kind = o.module ?? ((o.target ?? ts.ScriptTarget.ES5) >= ts.ScriptTarget.ES2015 ? ts.ModuleKind.ES2015 : ts.ModuleKind.CommonJS);
  if (/\.[mc]ts$/.test(sf.fileName) || (kind >= ts.ModuleKind.Node16 && kind <= ts.ModuleKind.NodeNext)) {
    return sf.impliedNodeFormat === ts.ModuleKind.CommonJS || /\.cts$/.test(sf.fileName);
  }
  return kind === ts.ModuleKind.CommonJS;
}
