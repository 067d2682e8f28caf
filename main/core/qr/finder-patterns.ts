/**
 * A fast finder-pattern detector that tells the QR search where to look. jsQR's own locator
 * keeps only its single best triple of finder patterns, so a picture with several codes often
 * reads as none (it pairs patterns of different codes), and it is slow on text-heavy
 * screenshots. Here we binarise like jsQR (8-pixel blocks, thresholds from 5×5 neighbouring
 * blocks), scan rows for the 1:1:3:1:1 run pattern in BOTH polarities (dark-on-light and
 * light-on-dark codes), confirm each hit with a vertical cross-check, and group the confirmed
 * patterns into right-angled triples: each triple is one likely code, cropped and handed to
 * jsQR alone.
 */
import type { GreyImage } from './find-qr-codes';

export interface FinderPattern {
  x: number;
  y: number;
  /** Estimated module size in pixels. */
  module: number;
  /** True when the pattern's centre is light (a light-on-dark code). */
  inverted: boolean;
  hits: number;
}

/** Three finder patterns that may be one code: `corner` is the one at the right angle. */
export interface CodeCandidate {
  corner: FinderPattern;
  a: FinderPattern;
  b: FinderPattern;
  inverted: boolean;
  module: number;
  score: number;
}

const BLOCK = 8;
const MIN_DYNAMIC_RANGE = 24;

/**
 * jsQR's local thresholds, one per 8×8 block; a pixel is dark when its grey is at or below its
 * block's threshold. Kept per block (not as a bit per pixel): the row scan and cross-checks
 * read only the pixels they need.
 */
export interface Binary {
  width: number;
  height: number;
  grey: Uint8Array;
  /** Thresholds per block, `blocksWide` per block row. */
  thresholds: Float32Array;
  blocksWide: number;
}

export function binarise({ width, height, grey }: GreyImage): Binary {
  const bw = Math.ceil(width / BLOCK);
  const bh = Math.ceil(height / BLOCK);
  const sums = new Uint32Array(bw);
  const mins = new Uint8Array(bw);
  const maxs = new Uint8Array(bw);
  const blackPoints = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    sums.fill(0);
    mins.fill(255);
    maxs.fill(0);
    const yEnd = Math.min(height, (by + 1) * BLOCK);
    for (let y = by * BLOCK; y < yEnd; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const v = grey[row + x]!;
        const b = x >> 3;
        sums[b]! += v;
        if (v < mins[b]!) mins[b] = v;
        if (v > maxs[b]!) maxs[b] = v;
      }
    }
    const rows = yEnd - by * BLOCK;
    for (let bx = 0; bx < bw; bx++) {
      const count = rows * (Math.min(width, (bx + 1) * BLOCK) - bx * BLOCK);
      const min = mins[bx]!;
      let average = sums[bx]! / count;
      if (maxs[bx]! - min <= MIN_DYNAMIC_RANGE) {
        average = min / 2;
        if (by > 0 && bx > 0) {
          const neighbours =
            (blackPoints[(by - 1) * bw + bx]! +
              2 * blackPoints[by * bw + bx - 1]! +
              blackPoints[(by - 1) * bw + bx - 1]!) /
            4;
          if (min < neighbours) average = neighbours;
        }
      }
      blackPoints[by * bw + bx] = average;
    }
  }
  const thresholds = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    const top = Math.min(Math.max(by, 2), Math.max(2, bh - 3));
    for (let bx = 0; bx < bw; bx++) {
      const left = Math.min(Math.max(bx, 2), Math.max(2, bw - 3));
      let sum = 0;
      let count = 0;
      for (let dy = -2; dy <= 2; dy++) {
        const y = top + dy;
        if (y < 0 || y >= bh) continue;
        for (let dx = -2; dx <= 2; dx++) {
          const x = left + dx;
          if (x < 0 || x >= bw) continue;
          sum += blackPoints[y * bw + x]!;
          count++;
        }
      }
      thresholds[by * bw + bx] = sum / count;
    }
  }
  return { width, height, grey, thresholds, blocksWide: bw };
}

/** 1 when the pixel is dark, else 0. */
function bit(binary: Binary, x: number, y: number): number {
  return binary.grey[y * binary.width + x]! <=
    binary.thresholds[(y >> 3) * binary.blocksWide + (x >> 3)]!
    ? 1
    : 0;
}

/** Run lengths match 1:1:3:1:1 within tolerance. */
function isFinderRatio(r0: number, r1: number, r2: number, r3: number, r4: number): boolean {
  const total = r0 + r1 + r2 + r3 + r4;
  if (total < 6) return false;
  const m = total / 7;
  const tolerance = m * 0.6;
  return (
    Math.abs(r0 - m) < tolerance &&
    Math.abs(r1 - m) < tolerance &&
    Math.abs(r2 - 3 * m) < 3 * tolerance &&
    Math.abs(r3 - m) < tolerance &&
    Math.abs(r4 - m) < tolerance
  );
}

/** Vertical runs through (x, y): returns the centre y and total height, or null. */
function crossCheckVertical(
  binary: Binary,
  x: number,
  y: number,
  colour: number,
  expectedTotal: number,
): { y: number; total: number } | null {
  const { height } = binary;
  const runs = [0, 0, 0, 0, 0];
  const limit = expectedTotal * 2;
  let up = y;
  // centre run upwards, then the opposite colour, then the outer ring
  while (up >= 0 && bit(binary, x, up) === colour && runs[2]! <= limit) {
    runs[2]!++;
    up--;
  }
  while (up >= 0 && bit(binary, x, up) !== colour && runs[1]! <= limit) {
    runs[1]!++;
    up--;
  }
  while (up >= 0 && bit(binary, x, up) === colour && runs[0]! <= limit) {
    runs[0]!++;
    up--;
  }
  let down = y + 1;
  while (down < height && bit(binary, x, down) === colour && runs[2]! <= limit) {
    runs[2]!++;
    down++;
  }
  while (down < height && bit(binary, x, down) !== colour && runs[3]! <= limit) {
    runs[3]!++;
    down++;
  }
  while (down < height && bit(binary, x, down) === colour && runs[4]! <= limit) {
    runs[4]!++;
    down++;
  }
  const [r0, r1, r2, r3, r4] = runs as [number, number, number, number, number];
  if (r0 === 0 || r1 === 0 || r3 === 0 || r4 === 0) return null;
  const total = r0 + r1 + r2 + r3 + r4;
  if (Math.abs(total - expectedTotal) > expectedTotal * 0.5) return null;
  if (!isFinderRatio(r0, r1, r2, r3, r4)) return null;
  return { y: down - r4 - r3 - r2 / 2, total };
}

/**
 * Every finder pattern seen in at least two scanned rows, in either polarity. `rowStep` 2 halves
 * the work at full resolution (a finder's centre is at least 3 modules tall).
 */
export function findFinderPatterns(binary: Binary, rowStep = 1): FinderPattern[] {
  const { width, height, grey, thresholds, blocksWide } = binary;
  const found: FinderPattern[] = [];
  const runs = new Int32Array(5);
  for (let y = 0; y < height; y += rowStep) {
    const row = y * width;
    const blockRow = (y >> 3) * blocksWide;
    runs.fill(0);
    let colour = grey[row]! <= thresholds[blockRow]! ? 1 : 0;
    let length = 0;
    for (let x = 0; x <= width; x++) {
      const v =
        x < width ? (grey[row + x]! <= thresholds[blockRow + (x >> 3)]! ? 1 : 0) : colour ^ 1;
      if (v === colour) {
        length++;
        continue;
      }
      runs[0] = runs[1]!;
      runs[1] = runs[2]!;
      runs[2] = runs[3]!;
      runs[3] = runs[4]!;
      runs[4] = length;
      length = 1;
      // runs[4] just ended with `colour`; a finder pattern ends with the same colour as its centre
      if (runs[0]! > 0 && isFinderRatio(runs[0]!, runs[1]!, runs[2]!, runs[3]!, runs[4]!)) {
        const total = runs[0]! + runs[1]! + runs[2]! + runs[3]! + runs[4]!;
        const centreX = Math.floor(x - runs[4]! - runs[3]! - runs[2]! / 2);
        const vertical = crossCheckVertical(binary, centreX, y, colour, total);
        if (vertical !== null) {
          addPattern(found, {
            x: centreX + 0.5,
            y: vertical.y,
            module: (total + vertical.total) / 14,
            inverted: colour === 0,
            hits: 1,
          });
        }
      }
      colour = v;
    }
  }
  return found.filter((pattern) => pattern.hits >= 2);
}

function addPattern(found: FinderPattern[], hit: FinderPattern): void {
  for (const pattern of found) {
    if (
      pattern.inverted === hit.inverted &&
      Math.abs(pattern.x - hit.x) <= pattern.module * 2 &&
      Math.abs(pattern.y - hit.y) <= pattern.module * 2 &&
      Math.abs(pattern.module - hit.module) <= pattern.module * 0.6
    ) {
      const n = pattern.hits;
      pattern.x = (pattern.x * n + hit.x) / (n + 1);
      pattern.y = (pattern.y * n + hit.y) / (n + 1);
      pattern.module = (pattern.module * n + hit.module) / (n + 1);
      pattern.hits = n + 1;
      return;
    }
  }
  found.push(hit);
}

const MAX_PATTERNS = 90;

/**
 * Triples of patterns that form a code's three corners, most plausible first. A triple must be
 * right-angled with equal legs, and both timing patterns (the alternating module rows between
 * the finder patterns, 3 modules in from their centres) must alternate at the module pitch of a
 * valid QR dimension: this drops triples made of patterns from different codes or of text.
 */
export function groupCandidates(patterns: FinderPattern[], binary: Binary): CodeCandidate[] {
  const best = [...patterns].sort((p, q) => q.hits - p.hits).slice(0, MAX_PATTERNS);
  const candidates: CodeCandidate[] = [];
  for (let i = 0; i < best.length; i++) {
    for (let j = i + 1; j < best.length; j++) {
      const p = best[i]!;
      const q = best[j]!;
      if (p.inverted !== q.inverted || !similarModules(p, q)) continue;
      const pq = Math.hypot(p.x - q.x, p.y - q.y);
      for (let k = j + 1; k < best.length; k++) {
        const r = best[k]!;
        if (r.inverted !== p.inverted || !similarModules(p, r) || !similarModules(q, r)) continue;
        const candidate = asCandidate(p, q, r, pq);
        if (candidate !== null && hasTimingPatterns(candidate, binary)) {
          candidates.push(candidate);
        }
      }
    }
  }
  return candidates.sort((c, d) => c.score - d.score);
}

function similarModules(p: FinderPattern, q: FinderPattern): boolean {
  return Math.max(p.module, q.module) / Math.min(p.module, q.module) < 1.5;
}

function asCandidate(
  p: FinderPattern,
  q: FinderPattern,
  r: FinderPattern,
  pq: number,
): CodeCandidate | null {
  const pr = Math.hypot(p.x - r.x, p.y - r.y);
  const qr = Math.hypot(q.x - r.x, q.y - r.y);
  // the corner is opposite the longest side
  const [corner, a, b, legA, legB, hypotenuse] =
    qr >= pq && qr >= pr
      ? [p, q, r, pq, pr, qr]
      : pr >= pq && pr >= qr
        ? [q, p, r, pq, qr, pr]
        : [r, p, q, pr, qr, pq];
  const module = (p.module + q.module + r.module) / 3;
  const legRatio = Math.max(legA, legB) / Math.min(legA, legB);
  if (legRatio > 1.25) return null;
  const modulesApart = (legA + legB) / 2 / module;
  if (modulesApart < 12 || modulesApart > 175) return null;
  const rightAngle = Math.abs(hypotenuse / Math.hypot(legA, legB) - 1);
  if (rightAngle > 0.08) return null;
  const score = legRatio - 1 + rightAngle * 4 - Math.min(p.hits, q.hits, r.hits) * 0.01;
  return { corner, a, b, inverted: p.inverted, module, score };
}

/** Module pitch check along both timing patterns, for the valid dimensions nearest the guess. */
function hasTimingPatterns(candidate: CodeCandidate, binary: Binary): boolean {
  const { corner, a, b } = candidate;
  const legA = Math.hypot(a.x - corner.x, a.y - corner.y);
  const legB = Math.hypot(b.x - corner.x, b.y - corner.y);
  const guess = (legA + legB) / 2 / candidate.module + 7;
  const version = Math.round((guess - 17) / 4);
  const dark = candidate.inverted ? 0 : 1;
  for (const v of [version, version - 1, version + 1]) {
    if (v < 1 || v > 40) continue;
    const apart = 17 + 4 * v - 7;
    if (
      timingScore(corner, a, b, apart, binary, dark) >= 0.75 &&
      timingScore(corner, b, a, apart, binary, dark) >= 0.75
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Share of modules that alternate as a timing pattern should, along the line from `corner`
 * towards `along`, 3 modules towards `across`. In module units from the corner finder's centre,
 * the timing modules are 5 … apart-5, dark at odd distances, with light separators either side.
 * Each module's grey (sampled bilinearly at its centre) is compared with the mean of its two
 * neighbours: local contrast survives blur and modules under 2 px, where a threshold does not.
 */
function timingScore(
  corner: FinderPattern,
  along: FinderPattern,
  across: FinderPattern,
  apart: number,
  binary: Binary,
  dark: number,
): number {
  const ux = (along.x - corner.x) / apart;
  const uy = (along.y - corner.y) / apart;
  const vx = (across.x - corner.x) / apart;
  const vy = (across.y - corner.y) / apart;
  const sample = (t: number) =>
    greyAt(binary, corner.x + t * ux + 3 * vx, corner.y + t * uy + 3 * vy);
  let before = sample(4);
  let here = sample(5);
  let right = 0;
  let total = 0;
  for (let t = 5; t <= apart - 5; t++) {
    const after = sample(t + 1);
    if (Number.isNaN(before + here + after)) return 0;
    const darker = here < (before + after) / 2;
    const expectDark = (t % 2 === 1) === (dark === 1);
    if (darker === expectDark) right++;
    total++;
    before = here;
    here = after;
  }
  return total === 0 ? 0 : right / total;
}

/** Bilinear grey at a point (pixel centres at +0.5), or NaN outside the image. */
function greyAt({ grey, width, height }: Binary, px: number, py: number): number {
  const x = px - 0.5;
  const y = py - 0.5;
  if (x < 0 || y < 0 || x > width - 1 || y > height - 1) return NaN;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  const top = grey[y0 * width + x0]! * (1 - fx) + grey[y0 * width + x1]! * fx;
  const bottom = grey[y1 * width + x0]! * (1 - fx) + grey[y1 * width + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}
