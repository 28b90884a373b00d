/** SHA-256 of a file, streamed (models are gigabytes). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/**
 * Lower-case hex SHA-256 of the file at `file`.
 * @throws the stream's error when the file cannot be read
 */
export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
