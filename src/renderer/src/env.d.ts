/** The Electron preload bridge on `window` (absent in web mode; see src/shared/bridge.ts). */
import type { BackorderDeskBridge } from '../../shared/bridge';

declare global {
  interface Window {
    backorderDesk?: BackorderDeskBridge;
  }
}
