import { readBytes } from '../data/files';
import { DataError, messageOf } from '../errors';

/**
 * Parses a JSON file written by this library (model.json, a run's files). A file that cannot be
 * read, or is not JSON, is a DataError naming it; `hint` says what to do about it.
 */
export function readJsonFile(path: string, hint?: string): unknown {
  const text = readBytes(path).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataError(path, `is not valid JSON (${messageOf(error)})${hint === undefined ? '' : `; ${hint}`}`);
  }
}
