// Writes build/icon.png (1024×1024) from the drawing in electron/icon.ts, the same one the
// tray uses at run time. electron-builder makes the macOS .icns, the Windows .ico and the
// Linux sizes from this one file. Run after changing the drawing:
//
//   node build/make-icons.mjs
//
// (Node ≥ 22.18 runs the TypeScript source directly: it only strips types.)
import { writeFileSync } from 'node:fs';
import { iconPng } from '../electron/icon.ts';

const file = new URL('./icon.png', import.meta.url);
writeFileSync(file, iconPng(1024));
console.log(`wrote ${file.pathname}`);
