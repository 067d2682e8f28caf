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
 * Bounds on the work one level of one picture can cause. A crafted picture (a checkerboard of
 * 2 px squares, a wall of finder-like squares) matches the 1:1:3:1:1 ratio almost everywhere;
 * these caps keep the search linear in the pixel count and say when they cut it short. Real
 * pictures stay far below them: a 4K screenshot full of text yields a few hundred hits, a sheet
 * of 500 codes about 1,500 confirmed patterns.
 */
export const FINDER_BOUNDS = {
  /** Pattern records (hits not yet confirmed by a second row) kept while scanning. */
  hits: 40_000,
  /**
   * Pattern records in one 32×32-pixel cell: distinct finder patterns are at least 7 modules
   * apart, so even 1 px modules fit about 20; a checkerboard of 2 px squares puts 256 there.
   */
  perCell: 32,
  /** Confirmed patterns grouped into triples (3 per code, plus some from text and data). */
  patterns: 4_000,
  /** Nearest compatible neighbours of each pattern tried as the legs of a code. */
  neighbours: 16,
  /** Triples whose timing patterns are checked (the costly test). */
  timingChecks: 20_000,
} as const;

export interface FinderSearch {
  /** Every pattern seen in at least two scanned rows, most hits first. */
  patterns: FinderPattern[];
  /** True when a bound cut the scan short: some patterns may be missing. */
  bounded: boolean;
}

/**
 * Every finder pattern seen in at least two scanned rows, in either polarity. `rowStep` 2 halves
 * the work at full resolution (a finder's centre is at least 3 modules tall).
 */
export function findFinderPatterns(binary: Binary, rowStep = 1): FinderSearch {
  const { width, height, grey, thresholds, blocksWide } = binary;
  const found = new PatternGrid(width);
  const runs = new Int32Array(5);
  let bounded = false;
  scan: for (let y = 0; y < height; y += rowStep) {
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
          const added = found.add({
            x: centreX + 0.5,
            y: vertical.y,
            module: (total + vertical.total) / 14,
            inverted: colour === 0,
            hits: 1,
          });
          if (!added || found.size > FINDER_BOUNDS.hits) {
            bounded = true;
            break scan;
          }
        }
      }
      colour = v;
    }
  }
  const confirmed = found
    .all()
    .filter((pattern) => pattern.hits >= 2)
    .sort((p, q) => q.hits - p.hits);
  if (confirmed.length > FINDER_BOUNDS.patterns) {
    bounded = true;
    confirmed.length = FINDER_BOUNDS.patterns;
  }
  return { patterns: confirmed, bounded };
}

/**
 * Patterns filed by where their first hit was, so that each new hit is compared with the few
 * patterns near it instead of every pattern found so far (which made crafted pictures
 * quadratic: a 1000×1000 checkerboard took 22 s).
 */
class PatternGrid {
  static readonly CELL = 32;
  readonly #cells = new Map<number, FinderPattern[]>();
  readonly #cellsWide: number;
  readonly #all: FinderPattern[] = [];
  /** When each pattern was first found: a hit merges into the earliest match, as a scan of all would. */
  readonly #order = new Map<FinderPattern, number>();

  constructor(width: number) {
    this.#cellsWide = Math.ceil(width / PatternGrid.CELL) + 1;
  }

  get size(): number {
    return this.#all.length;
  }

  all(): FinderPattern[] {
    return this.#all;
  }

  /**
   * Merges the hit into the earliest-found matching pattern near it, or files it as new.
   * False when its cell is full (FINDER_BOUNDS.perCell): no real picture gets there.
   */
  add(hit: FinderPattern): boolean {
    // A match has module >= hit.module / 1.6 and lies within 2 of its modules (<= 5 of the
    // hit's); averaging moves a pattern up to about one module from its first hit.
    const reach = Math.ceil((6 * hit.module) / PatternGrid.CELL);
    const cx = Math.floor(hit.x / PatternGrid.CELL);
    const cy = Math.floor(hit.y / PatternGrid.CELL);
    let match: FinderPattern | undefined;
    let matchOrder = Infinity;
    for (let y = cy - reach; y <= cy + reach; y++) {
      for (let x = Math.max(0, cx - reach); x <= cx + reach; x++) {
        for (const pattern of this.#cells.get(y * this.#cellsWide + x) ?? []) {
          const order = this.#order.get(pattern)!;
          if (order < matchOrder && matches(pattern, hit)) {
            match = pattern;
            matchOrder = order;
          }
        }
      }
    }
    if (match !== undefined) {
      const n = match.hits;
      match.x = (match.x * n + hit.x) / (n + 1);
      match.y = (match.y * n + hit.y) / (n + 1);
      match.module = (match.module * n + hit.module) / (n + 1);
      match.hits = n + 1;
      return true;
    }
    const key = cy * this.#cellsWide + cx;
    const cell = this.#cells.get(key);
    if (cell !== undefined && cell.length >= FINDER_BOUNDS.perCell) return false;
    this.#order.set(hit, this.#all.length);
    this.#all.push(hit);
    if (cell === undefined) this.#cells.set(key, [hit]);
    else cell.push(hit);
    return true;
  }
}

function matches(pattern: FinderPattern, hit: FinderPattern): boolean {
  return (
    pattern.inverted === hit.inverted &&
    Math.abs(pattern.x - hit.x) <= pattern.module * 2 &&
    Math.abs(pattern.y - hit.y) <= pattern.module * 2 &&
    Math.abs(pattern.module - hit.module) <= pattern.module * 0.6
  );
}

export interface Grouping {
  /** Likely codes, most plausible first. */
  candidates: CodeCandidate[];
  /** True when the timing-check bound cut the grouping short. */
  bounded: boolean;
}

/**
 * Triples of patterns that form a code's three corners, most plausible first. Each pattern is
 * tried as the corner with pairs of its 16 nearest compatible neighbours (same polarity, similar
 * module size) as the legs: a code's own finder patterns are among them even on a sheet of
 * codes packed edge to edge (for version-4 codes, 10 patterns from data modules and from the
 * neighbours' finders are nearer), and this keeps the work linear in the number of patterns
 * where trying all triples made it cubic.
 * A triple must be right-angled with equal legs, and both timing patterns (the alternating
 * module rows between the finder patterns, 3 modules in from their centres) must alternate at
 * the module pitch of a valid QR dimension: this drops triples made of patterns from different
 * codes or of text.
 */
export function groupCandidates(patterns: FinderPattern[], binary: Binary): Grouping {
  const candidates: CodeCandidate[] = [];
  const index = new NeighbourIndex(patterns);
  let checks = 0;
  for (const corner of patterns) {
    const near = index.nearestCompatible(corner);
    for (let i = 0; i < near.length; i++) {
      for (let j = i + 1; j < near.length; j++) {
        const a = near[i]!;
        const b = near[j]!;
        if (!similarModules(a, b)) continue;
        const candidate = asCandidate(corner, a, b, Math.hypot(corner.x - a.x, corner.y - a.y));
        if (candidate === null || candidate.corner !== corner) continue;
        if (++checks > FINDER_BOUNDS.timingChecks) {
          return { candidates: candidates.sort((c, d) => c.score - d.score), bounded: true };
        }
        if (hasTimingPatterns(candidate, binary)) candidates.push(candidate);
      }
    }
  }
  return { candidates: candidates.sort((c, d) => c.score - d.score), bounded: false };
}

/** Confirmed patterns by 64-pixel cell, to find each one's nearest neighbours without a scan of all. */
class NeighbourIndex {
  static readonly CELL = 64;
  readonly #cells = new Map<number, FinderPattern[]>();
  readonly #cellsWide: number;
  readonly #cellsHigh: number;

  constructor(patterns: FinderPattern[]) {
    let right = 0;
    let bottom = 0;
    for (const pattern of patterns) {
      right = Math.max(right, pattern.x);
      bottom = Math.max(bottom, pattern.y);
    }
    this.#cellsWide = Math.floor(right / NeighbourIndex.CELL) + 1;
    this.#cellsHigh = Math.floor(bottom / NeighbourIndex.CELL) + 1;
    for (const pattern of patterns) {
      const key =
        Math.floor(pattern.y / NeighbourIndex.CELL) * this.#cellsWide +
        Math.floor(pattern.x / NeighbourIndex.CELL);
      const cell = this.#cells.get(key);
      if (cell === undefined) this.#cells.set(key, [pattern]);
      else cell.push(pattern);
    }
  }

  /**
   * The nearest patterns of the same polarity and a similar module size at a code's leg length
   * (12–175 modules, with slack), nearest first: the search widens ring by ring of cells and
   * stops once FINDER_BOUNDS.neighbours are closer than any cell not yet searched.
   */
  nearestCompatible(corner: FinderPattern): FinderPattern[] {
    const longest = 175 * 1.5 * corner.module;
    const shortest = 12 * 0.6 * corner.module;
    const cx = Math.floor(corner.x / NeighbourIndex.CELL);
    const cy = Math.floor(corner.y / NeighbourIndex.CELL);
    const maxRing = Math.ceil(longest / NeighbourIndex.CELL);
    const near: Array<{ pattern: FinderPattern; distance: number }> = [];
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let y = Math.max(0, cy - ring); y <= Math.min(this.#cellsHigh - 1, cy + ring); y++) {
        // the ring's top and bottom rows whole, its other rows at their two ends
        const whole = y === cy - ring || y === cy + ring;
        for (let x = cx - ring; x <= cx + ring; x += whole ? 1 : 2 * ring) {
          if (x >= 0 && x < this.#cellsWide) this.#collect(corner, x, y, shortest, longest, near);
        }
      }
      // a cell beyond this ring is at least ring × CELL away
      if (near.length >= FINDER_BOUNDS.neighbours) {
        near.sort((p, q) => p.distance - q.distance);
        if (near[FINDER_BOUNDS.neighbours - 1]!.distance <= ring * NeighbourIndex.CELL) break;
      }
    }
    near.sort((p, q) => p.distance - q.distance);
    return near.slice(0, FINDER_BOUNDS.neighbours).map(({ pattern }) => pattern);
  }

  #collect(
    corner: FinderPattern,
    x: number,
    y: number,
    shortest: number,
    longest: number,
    near: Array<{ pattern: FinderPattern; distance: number }>,
  ): void {
    for (const pattern of this.#cells.get(y * this.#cellsWide + x) ?? []) {
      if (pattern === corner || pattern.inverted !== corner.inverted) continue;
      if (!similarModules(pattern, corner)) continue;
      const distance = Math.hypot(pattern.x - corner.x, pattern.y - corner.y);
      if (distance >= shortest && distance <= longest) near.push({ pattern, distance });
    }
  }
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
