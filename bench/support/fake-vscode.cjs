// A minimal fake `vscode` module for the benchmarks' fresh processes (bench/activation.ts,
// bench/first-tree.ts): just enough API for the extension to activate, build its runtime and draw
// the tree. install() hooks Module._load so `require('vscode')` returns it.
const Module = require('module');
const path = require('path');

const disposable = () => ({ dispose() {} });
const event = () => disposable();
class EventEmitter {
  constructor() { this.listeners = []; this.event = (l) => { this.listeners.push(l); return { dispose: () => { this.listeners = this.listeners.filter((x) => x !== l); } }; }; }
  fire(v) { for (const l of [...this.listeners]) l(v); }
  dispose() { this.listeners = []; }
}
class Uri {
  constructor(scheme, p, query = '', fragment = '') { this.scheme = scheme; this.path = p; this.fsPath = p; this.query = query; this.fragment = fragment; }
  static file(p) { return new Uri('file', p); }
  static joinPath(base, ...parts) { return new Uri(base.scheme, path.join(base.path, ...parts)); }
  static from(c) { return new Uri(c.scheme, c.path, c.query ?? '', c.fragment ?? ''); }
  static parse(s) { return new Uri('file', s); }
  with(c) { return new Uri(c.scheme ?? this.scheme, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment); }
  toString() { return this.scheme + ':' + this.path + (this.query ? '?' + this.query : ''); }
}
class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range {
  constructor(a, b, c, d) { if (typeof a === 'number') { this.start = new Position(a, b); this.end = new Position(c, d); } else { this.start = a; this.end = b; } }
  isEqual(o) { return this.start.line === o.start.line && this.start.character === o.start.character && this.end.line === o.end.line && this.end.character === o.end.character; }
}
class Diagnostic { constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; } }
class DiagnosticRelatedInformation { constructor(location, message) { this.location = location; this.message = message; } }
class Location { constructor(uri, range) { this.uri = uri; this.range = range; } }
class TreeItem { constructor(label, collapsibleState) { this.label = label; this.collapsibleState = collapsibleState; } }
class ThemeIcon { constructor(id, color) { this.id = id; this.color = color; } }
class ThemeColor { constructor(id) { this.id = id; } }
class MarkdownString {
  constructor(value = '', supportThemeIcons = false) { this.value = value; this.supportThemeIcons = supportThemeIcons; }
  appendMarkdown(s) { this.value += s; return this; }
  appendText(s) { this.value += s.replace(/[\\\x60*_{}[\]()#+\-.!]/g, '\\$&'); return this; }
}
/** What the extension published, by document URI (the tests read it). */
const published = new Map();
const collection = { set(uri, diagnostics) { published.set(String(uri), diagnostics); }, delete(uri) { published.delete(String(uri)); }, clear() { published.clear(); }, dispose() {} };
const vscode = {
  EventEmitter, Uri, Position, Range, Diagnostic, DiagnosticRelatedInformation, Location, TreeItem, ThemeIcon, ThemeColor, MarkdownString,
  CodeActionKind: { QuickFix: { value: 'quickfix' } },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2 },
  ProgressLocation: { Notification: 15 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
  window: {
    createOutputChannel: () => ({ info() {}, warn() {}, error() {}, show() {}, dispose() {} }),
    createTreeView: () => ({ dispose() {} }),
    createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
    onDidChangeActiveTextEditor: event,
    activeTextEditor: undefined,
  },
  workspace: {
    textDocuments: [],
    isTrusted: true,
    workspaceFolders: undefined,
    getConfiguration: () => ({ get: (key, fallback) => fallback }),
    asRelativePath: (p) => String(p),
    registerTextDocumentContentProvider: disposable,
    onDidOpenTextDocument: event, onDidChangeTextDocument: event, onDidCloseTextDocument: event,
    onDidChangeConfiguration: event,
  },
  languages: { createDiagnosticCollection: () => collection, registerCodeActionsProvider: disposable, registerCodeLensProvider: disposable },
  commands: { registerCommand: disposable, executeCommand: () => Promise.resolve() },
};

/** The tree data provider the extension gave createTreeView, and the commands it registered. */
const captured = { provider: undefined, commands: [], published };
vscode.window.createTreeView = (_id, options) => { captured.provider = options.treeDataProvider; return { dispose() {} }; };
vscode.commands.registerCommand = (id) => { captured.commands.push(id); return disposable(); };

function install() {
  const load = Module._load;
  Module._load = function (request, parent, isMain) { return request === 'vscode' ? vscode : load.call(this, request, parent, isMain); };
}

/** An ExtensionContext for the extension at root, with the given workspace state. */
function context(root, state = new Map()) {
  return {
    subscriptions: [],
    extensionPath: root,
    extensionUri: Uri.file(root),
    globalStorageUri: Uri.file(path.join(root, '.tmp', 'bench-storage')),
    workspaceState: { get: (k, d) => (state.has(k) ? state.get(k) : d), update: async (k, v) => { state.set(k, v); } },
  };
}

module.exports = { vscode, captured, install, context };
