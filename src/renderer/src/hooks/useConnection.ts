/** Whether web mode's event stream is connected; always true in Electron. */
import { useEffect, useState } from 'react';
import { onConnectionChange } from '../client';

export function useConnection(): boolean {
  const [connected, setConnected] = useState(true);
  useEffect(() => onConnectionChange(setConnected), []);
  return connected;
}
