/**
 * The recommended model: Llama 3.2 3B Instruct, Q4_K_M quantisation, in bartowski's GGUF conversion
 * on Hugging Face. URL pinned to the repository commit whose file page lists this SHA-256 (Git LFS
 * pointer details) and a size of 2.02 GB:
 * https://huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF/blob/c346bfc2029e79ba6d7edf026cf01fe44242db0d/Llama-3.2-3B-Instruct-Q4_K_M.gguf
 * Why this one: README "Local language model".
 */

/** A downloadable model: where it is and what its bytes must hash to. */
export interface ModelSpec {
  name: string;
  file: string;
  url: string;
  /** Lower-case hex SHA-256 of the file; the download refuses anything else. */
  sha256: string;
  /** Approximate size in bytes (progress before the server says). */
  sizeBytes: number;
}

export const RECOMMENDED_MODEL: ModelSpec = {
  name: 'Llama 3.2 3B Instruct (Q4_K_M)',
  file: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
  url: 'https://huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF/resolve/c346bfc2029e79ba6d7edf026cf01fe44242db0d/Llama-3.2-3B-Instruct-Q4_K_M.gguf',
  sha256: '6c1a2b41161032677be168d354123594c0e6e67d2b9227c84f296ad037c728ff',
  sizeBytes: 2_020_000_000,
};
