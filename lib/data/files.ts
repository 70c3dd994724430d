/**
 * The file-system calls of the data loaders, turning every failure into a `DataError` that names
 * the path, so that no loader leaks a bare `ENOENT` to the user.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { DataError, messageOf } from '../errors';

/** What is at a path. */
export type PathKind = 'file' | 'folder' | 'missing' | 'other';

/** Whether `path` is a file, a folder, missing or something else (a socket, a device). */
export function pathKind(path: string): PathKind {
  try {
    const stats = fs.statSync(path);
    if (stats.isFile()) return 'file';
    if (stats.isDirectory()) return 'folder';
    return 'other';
  } catch {
    return 'missing';
  }
}

/** Whether `path` is a symbolic link (not followed when walking folders, as Keras does not by default). */
export function isSymbolicLink(path: string): boolean {
  try {
    return fs.lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The size of a file in bytes; a DataError if it cannot be read. */
export function fileSize(path: string): number {
  try {
    return fs.statSync(path).size;
  } catch (error: unknown) {
    throw new DataError(path, `cannot be read: ${describeError(error)}`);
  }
}

/** The whole file; a DataError if it cannot be read. */
export function readBytes(path: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (error: unknown) {
    throw new DataError(path, `cannot be read: ${describeError(error)}`);
  }
}

/** The whole file, gunzipped when it starts with the gzip signature 0x1f 0x8b. */
export function readMaybeGzipped(path: string): Buffer {
  const bytes = readBytes(path);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return zlib.gunzipSync(bytes);
  } catch (error: unknown) {
    throw new DataError(path, `corrupt or truncated gzip data (${describeError(error)})`);
  }
}

/** The names in a folder, sorted by code unit so that every platform lists them alike. */
export function listFolder(path: string): string[] {
  try {
    return fs.readdirSync(path).sort(compareNames);
  } catch (error: unknown) {
    throw new DataError(path, `cannot be listed: ${describeError(error)}`);
  }
}

/** Code-unit order: independent of the locale, unlike `localeCompare`. */
export function compareNames(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

const ERRNO_MEANINGS: Readonly<Record<string, string>> = {
  ENOENT: 'not found',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'part of the path is not a folder',
};

/**
 * A short description of a caught value: the meaning of a Node error code, or the message. Duck
 * typed, because errors thrown by Node's own modules may come from another realm (as under Jest)
 * and fail `instanceof Error`.
 */
export function describeError(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return `${ERRNO_MEANINGS[code] ?? messageOf(error)} (${code})`;
  return messageOf(error);
}
