// The window's size and position between runs, in <dataDir>/window-state.json. Pure
// functions plus two small file helpers, so the rules (corrupt file → defaults, window
// kept on a display that still exists) need no Electron to check.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1200, height: 800 } as const;
export const MIN_SIZE = { width: 640, height: 420 } as const;

/** How much of the window's top edge must lie on a display for the user to grab it. */
const GRAB = { width: 120, height: 40 };

const StateSchema = z.object({
  bounds: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() }),
  maximized: z.boolean(),
});

export function windowStateFile(dataDir: string): string {
  return join(dataDir, 'window-state.json');
}

/** The saved state, or undefined when there is none or it is unreadable: a fresh window is the fix. */
export async function readWindowState(file: string): Promise<WindowState | undefined> {
  try {
    const parsed = StateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written atomically (temp file + rename), so a crash mid-save never leaves half a file. */
export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Where to open the window given the displays' work areas (primary first). The saved
 * bounds are kept when enough of the title bar lies on one display; otherwise (the
 * monitor is gone, the resolution shrank) the window is centred on the primary display.
 * The size never exceeds the chosen display.
 */
export function placeWindow(saved: WindowState | undefined, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (saved) {
    const home = workAreas.find((area) => titleBarVisible(saved.bounds, area));
    if (home) return { bounds: fitInside(saved.bounds, home), maximized: saved.maximized };
  }
  const size = saved?.bounds ?? DEFAULT_SIZE;
  const width = clamp(size.width, MIN_SIZE.width, primary.width);
  const height = clamp(size.height, MIN_SIZE.height, primary.height);
  return {
    bounds: {
      x: Math.round(primary.x + (primary.width - width) / 2),
      y: Math.round(primary.y + (primary.height - height) / 2),
      width,
      height,
    },
    maximized: saved?.maximized ?? false,
  };
}

function titleBarVisible(bounds: Rect, area: Rect): boolean {
  const left = Math.max(bounds.x, area.x);
  const right = Math.min(bounds.x + bounds.width, area.x + area.width);
  const top = Math.max(bounds.y, area.y);
  const bottom = Math.min(bounds.y + GRAB.height, area.y + area.height);
  return right - left >= Math.min(GRAB.width, bounds.width) && bottom - top >= GRAB.height;
}

/**
 * No larger than the display. The position is the user's (a window may straddle two
 * displays on purpose) unless the window had to shrink: then it moves fully onto it.
 */
function fitInside(bounds: Rect, area: Rect): Rect {
  const width = clamp(bounds.width, Math.min(MIN_SIZE.width, area.width), area.width);
  const height = clamp(bounds.height, Math.min(MIN_SIZE.height, area.height), area.height);
  if (width === bounds.width && height === bounds.height) return bounds;
  return {
    x: clamp(bounds.x, area.x, area.x + area.width - width),
    y: clamp(bounds.y, area.y, area.y + area.height - height),
    width,
    height,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
