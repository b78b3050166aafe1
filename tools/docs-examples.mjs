#!/usr/bin/env node
// Type-checks the TypeScript the documentation shows: every ```ts block of the markdown files
// (README.md, CONTRIBUTING.md, docs/, packages/*/README.md, examples/*/README.md) and of the
// TSDoc comments in packages/*/src. Each block is compiled as its own ES module against the
// packages' sources, with the repository's strict compiler options, as a user would paste it.
// Two markers in the info string change that (CONTRIBUTING.md, "Code in the documentation"):
// - ```ts continued: the block goes on from the blocks before it (in the same file, or the same
//   doc comment), as a reader following a guide would paste them one after the other: it is
//   compiled after every block since the last one that is not `continued`.
// - ```ts partial: a deliberate fragment (an outline of an interface, an options overview): it
//   is only parsed.
// Failures name file and line: `docs/server.md:42: TS2304 Cannot find name 'scim'.`
//
// Run with `pnpm run docs:examples`; tools/test/docs-examples.test.ts runs it in `pnpm test`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { workspacePackages } from './typedoc/entry-points.mjs';

const TS_LANGUAGES = new Set(['ts', 'typescript']);
const PARTIAL = 'partial';
const CONTINUED = 'continued';

/**
 * @typedef {{ file: string, line: number, code: string, partial: boolean, continued: boolean, scope: string }} Block
 *   `line` is the 1-based line of the block's first code line in `file`; blocks of one `scope`
 *   (a markdown file, or one doc comment) may continue each other.
 * @typedef {{ file: string, line: number, code: string, message: string }} Failure
 */

/**
 * The documentation files whose code blocks are checked, relative to `root`.
 * @param {string} root
 */
export function documentationFiles(root) {
  const markdown = [
    'README.md',
    'CONTRIBUTING.md',
    ...walk(root, 'docs', (path) => path.endsWith('.md'), ['docs/api']),
    ...walk(root, 'examples', (path) => path.endsWith('/README.md'), ['node_modules']),
    ...workspacePackages(root).map((pkg) => `${relative(root, pkg.dir)}/README.md`),
  ];
  const sources = workspacePackages(root).flatMap((pkg) =>
    walk(root, relative(root, join(pkg.dir, 'src')), isShippedSource, ['__fixtures__']),
  );
  return [...markdown, ...sources].filter((path) => existsSync(join(root, path)));
}

/** @param {string} path */
function isShippedSource(path) {
  return /\.(ts|mts|cts)$/.test(path) && !/\.test(-d)?\.ts$/.test(path) && !path.endsWith('.d.ts');
}

/**
 * @param {string} root
 * @param {string} dir relative to root
 * @param {(path: string) => boolean} keep
 * @param {string[]} skip path segments or relative paths not to descend into
 * @returns {string[]}
 */
function walk(root, dir, keep, skip) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (skip.includes(entry.name) || skip.includes(path)) return [];
      if (entry.isDirectory()) return walk(root, path, keep, skip);
      return keep(path) ? [path] : [];
    });
}

/**
 * The ```ts blocks of a markdown text, or of the doc comments of a TypeScript source.
 * @param {string} file path shown in failures
 * @param {string} text
 * @returns {Block[]}
 */
export function extractBlocks(file, text) {
  const lines = text.split('\n');
  // In a TypeScript file only doc comment lines count, with their leading ` * ` removed.
  const content = /\.(ts|mts|cts)$/.test(file) ? docCommentLines(lines) : lines;
  /** @type {Block[]} */
  const blocks = [];
  let open;
  let scope = file;
  content.forEach((line, index) => {
    if (line === undefined) {
      open = undefined; // a comment ended inside a fence: not a block
      scope = `${file}:${index + 2}`; // the next doc comment starts a new scope
      return;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(line);
    if (!open) {
      if (fence && TS_LANGUAGES.has(fence[3].toLowerCase())) {
        open = { marker: fence[2], indent: fence[1].length, line: index + 2, code: [], info: fence[4] };
      } else if (fence) {
        open = { marker: fence[2], indent: fence[1].length, skip: true };
      }
      return;
    }
    if (fence?.[2].startsWith(open.marker) && fence[3] === '' && fence[4] === '') {
      if (!open.skip) {
        const markers = open.info.split(/\s+/);
        blocks.push({
          file,
          line: open.line,
          code: open.code.join('\n'),
          partial: markers.includes(PARTIAL),
          continued: markers.includes(CONTINUED),
          scope,
        });
      }
      open = undefined;
      return;
    }
    if (!open.skip) open.code.push(line.slice(Math.min(open.indent, line.search(/\S|$/))));
  });
  return blocks;
}

/**
 * Lines of a TypeScript file as seen inside doc comments (`undefined` outside them), so block
 * line numbers stay those of the file.
 * @param {string[]} lines
 * @returns {(string | undefined)[]}
 */
function docCommentLines(lines) {
  let inside = false;
  return lines.map((line) => {
    if (!inside) {
      const start = line.indexOf('/**');
      if (start === -1) return undefined;
      inside = !line.includes('*/', start + 3);
      return undefined; // text on the opening line is never a fence
    }
    if (line.includes('*/')) {
      inside = false;
      return undefined;
    }
    return line.replace(/^\s*\* ?/, '');
  });
}

/**
 * Compiles every block; returns the blocks and the failures.
 * @param {{ root?: string, files?: string[] }} [options] `files` relative to root (default: all
 *   documentation files)
 */
export function checkExamples(options = {}) {
  const root = resolve(options.root ?? process.cwd());
  const files = options.files ?? documentationFiles(root);
  const blocks = files.flatMap((file) => extractBlocks(file, readFileSync(join(root, file), 'utf8')));
  /** @type {Failure[]} */
  const failures = [];
  /** @type {Map<string, { block: Block, code: string, offset: number }>} */
  const virtual = new Map();
  /** @type {Block[]} */
  let chain = [];
  blocks.forEach((block, index) => {
    if (block.partial) {
      virtual.set(join(root, '.docs-examples', `block-${index}.mts`), { block, code: block.code, offset: 0 });
      return;
    }
    if (!block.continued) chain = [];
    else if (chain.length === 0 || chain[0].scope !== block.scope) {
      failures.push({
        file: block.file,
        line: block.line - 1,
        code: 'continued',
        message: 'A `continued` block needs a block before it to continue (in the same file or doc comment).',
      });
      chain = [];
    }
    chain.push(block);
    const before = chain.slice(0, -1).map((previous) => previous.code);
    virtual.set(join(root, '.docs-examples', `block-${index}.mts`), {
      block,
      code: [...before, block.code].join('\n'),
      offset: before.reduce((lines, code) => lines + code.split('\n').length, 0),
    });
  });

  failures.push(...compile(root, virtual));
  return { blocks, failures };
}

/**
 * Compiles one piece of code as a module (as a user would paste it into a file of their own)
 * and returns its errors as `line: TSxxxx message`.
 * @param {string} code
 * @param {string} [root] the repository root
 */
export function compileSnippet(code, root = process.cwd()) {
  const block = { file: 'snippet.mts', line: 1, code, partial: false, continued: false, scope: 'snippet' };
  const virtual = new Map([
    [join(resolve(root), '.docs-examples', 'snippet.mts'), { block, code, offset: 0 }],
  ]);
  return compile(resolve(root), virtual).map(
    (failure) => `${failure.line}: ${failure.code} ${failure.message}`,
  );
}

/**
 * Type-checks the virtual files in one program; failures point into the blocks.
 * @param {string} root
 * @param {Map<string, { block: Block, code: string, offset: number }>} virtual
 * @returns {Failure[]}
 */
function compile(root, virtual) {
  const compilerOptions = repositoryCompilerOptions(root);
  const host = ts.createCompilerHost(compilerOptions, true);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (path) => virtual.has(path) || ts.sys.fileExists(path);
  host.readFile = (path) => virtual.get(path)?.code ?? readFile(path);
  host.getSourceFile = (path, languageVersion, ...rest) => {
    const entry = virtual.get(path);
    if (entry) return ts.createSourceFile(path, entry.code, languageVersion, true);
    return getSourceFile(path, languageVersion, ...rest);
  };
  host.resolveModuleNameLiterals = moduleResolver(root, compilerOptions, virtual);

  const program = ts.createProgram([...virtual.keys()], compilerOptions, host);
  /** @type {Failure[]} */
  const failures = [];
  for (const [path, { block, offset }] of virtual) {
    const source = program.getSourceFile(path);
    if (!source) continue;
    const diagnostics = block.partial
      ? program.getSyntacticDiagnostics(source)
      : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const diagnostic of diagnostics) {
      const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      if (line < offset) continue; // in a block this one continues: reported there
      failures.push({
        file: block.file,
        line: block.line + line - offset,
        code: `TS${diagnostic.code}`,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      });
    }
  }
  return failures;
}

/**
 * The compiler options of tsconfig.base.json (strict, `@scimkit/source` condition), for
 * modules that are type-checked only.
 * @param {string} root
 */
export function repositoryCompilerOptions(root) {
  const configPath = join(root, 'tsconfig.base.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent({ ...config, files: [] }, ts.sys, root);
  return { ...parsed.options, noEmit: true, declaration: false, declarationMap: false, sourceMap: false };
}

/**
 * Resolves a block's imports as if the block sat in each workspace package in turn (its
 * dependencies are installed there): workspace packages by name, through their
 * `@scimkit/source` export condition, and third-party packages from the first package that has
 * them.
 * @param {string} root
 * @param {ts.CompilerOptions} compilerOptions
 * @param {Map<string, Block>} virtual
 */
function moduleResolver(root, compilerOptions, virtual) {
  const workspace = [...workspacePackages(root).map((pkg) => pkg.dir), ...exampleDirs(root), root];
  const cache = new Map();
  const resolveFrom = (name, containingFile, mode) => {
    const key = `${name}\0${mode}\0${virtual.has(containingFile) ? '' : containingFile}`;
    if (cache.has(key)) return cache.get(key);
    const candidates = virtual.has(containingFile)
      ? workspace.map((dir) => join(dir, '__docs_example__.mts'))
      : [containingFile];
    let result = { resolvedModule: undefined };
    for (const from of candidates) {
      const found = ts.resolveModuleName(name, from, compilerOptions, ts.sys, undefined, undefined, mode);
      if (found.resolvedModule) {
        result = found;
        break;
      }
    }
    cache.set(key, result);
    return result;
  };
  return (literals, containingFile, _redirected, _options, containingSource) =>
    literals.map((literal) =>
      resolveFrom(
        literal.text,
        containingFile,
        ts.getModeForUsageLocation(containingSource, literal, compilerOptions),
      ),
    );
}

/** @param {string} root */
function exampleDirs(root) {
  const dir = join(root, 'examples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
    .map((entry) => join(dir, entry.name));
}

/** @param {Failure[]} failures */
export function formatFailures(failures) {
  return failures.map((f) => `${f.file}:${f.line}: ${f.code} ${f.message}`).join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { blocks, failures } = checkExamples({ root });
  const partial = blocks.filter((block) => block.partial).length;
  if (failures.length) {
    console.error(formatFailures(failures));
    console.error(`\n${failures.length} errors in the documentation's code blocks`);
  }
  console.log(
    `${blocks.length - partial} code blocks compiled, ${partial} partial ones parsed; ` +
      `${new Set(failures.map((f) => `${f.file}:${f.line}`)).size} lines with errors`,
  );
  process.exit(failures.length ? 1 : 0);
}
