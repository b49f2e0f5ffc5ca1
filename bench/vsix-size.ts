// VSIX size: packages the extension with vsce (which runs vscode:prepublish, the production
// build) into .tmp/, or measures an existing .vsix, and prints its size and its largest entries.
//
//   npx tsx bench/vsix-size.ts            # package, then measure
//   npx tsx bench/vsix-size.ts FILE.vsix  # measure an existing package
// Goal (issue 4): under 700 KB.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const GOAL_BYTES = 700 * 1024;

interface Entry { name: string; compressed: number; size: number }

/** The zip's central directory: name, compressed and uncompressed size of every entry. */
function listZip(file: string): Entry[] {
  const zip = readFileSync(file);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const compressed = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extra = zip.readUInt16LE(offset + 30);
    const comment = zip.readUInt16LE(offset + 32);
    entries.push({ name: zip.toString('utf8', offset + 46, offset + 46 + nameLength), compressed, size });
    offset += 46 + nameLength + extra + comment;
  }
  return entries;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

let vsix = process.argv[2];
if (!vsix) {
  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
  vsix = path.join(root, '.tmp', `aurora-security-groups-${version}.vsix`);
  execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
const size = statSync(vsix).size;
const entries = listZip(vsix);
console.log(`VSIX ${path.relative(root, vsix)}: ${kb(size)} (${size} bytes), ${entries.length} files; goal < ${kb(GOAL_BYTES)}`);
for (const entry of [...entries].sort((a, b) => b.compressed - a.compressed).slice(0, 8)) {
  console.log(`  ${kb(entry.compressed).padStart(10)} compressed  ${kb(entry.size).padStart(10)}  ${entry.name}`);
}
const unexpected = entries.filter((e) => !/^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(package\.json|readme\.md|README\.md|LICENSE(\.txt)?|changelog\.md|CHANGELOG\.md|dist\/(extension|runtime|aws|yaml)\.js|media\/.*|samples\/demo-account\/.*))$/i.test(e.name));
if (unexpected.length) console.log(`  not on the allow-list: ${unexpected.map((e) => e.name).join(', ')}`);
if (size >= GOAL_BYTES) console.log(`  note: above the ${kb(GOAL_BYTES)} goal`);
